# SPDX-License-Identifier: GPL-3.0-or-later
"""insucard_e2e: drives the real `insucard --training` through its
accessibility tree (AT-SPI, dogtail), as a person at the desk would.

Run the tests through tests/e2e/run-e2e, which gives each one its own X
server and session bus (and so its own accessibility bus).  Every wait
has a deadline: a step that does not happen fails the test with what was
awaited and a dump of the window, instead of hanging.

Widgets are found by role and accessible name only; text is typed with
dogtail's keyboard (XTest through the AT-SPI registry).  There is no window
manager in the test's X server, so keyboard focus follows the pointer:
before typing, the test clicks into the field, as a person would.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from dogtail.config import config

# The test's X server has no desktop that would have switched
# accessibility on: the bridge is loaded because NO_AT_BRIDGE is unset.
config.checkForA11y = False
config.logDebugToFile = False
config.logDebugToStdOut = False
config.actionDelay = 0.05
config.typingDelay = 0.02
config.defaultDelay = 0.05
config.searchBackoffDuration = 0.2
config.searchShowingOnly = False

from dogtail import rawinput, tree  # noqa: E402
import pyatspi  # noqa: E402

APP_TITLE = 'Insurance Card Desk (training)'
DEMO_PIN = '123456'
# The demo cards (docs/user-guide.md, "The demo cards").
ISSUING_ADMIN = '演示发卡员, issuing administrator'
SYSTEM_ADMIN = '演示系统管理员, system administrator'

# Deadlines, in seconds, for this loaded 2-core machine.  Generous: they
# only bound a failure; a passing test never waits them out.
STOCK_TIMEOUT = float(os.environ.get('INSUCARD_E2E_STOCK_TIMEOUT', '150'))
STEP_TIMEOUT = float(os.environ.get('INSUCARD_E2E_STEP_TIMEOUT', '45'))
POLL = 0.1


def log(msg):
    print('# %6.1fs %s' % (time.monotonic() - _T0, msg), flush=True)


_T0 = time.monotonic()


class StepTimeout(AssertionError):
    pass


class Stopped(SystemExit):
    """A signal stopped the test (meson's timeout)."""


def _safe(fn, default=None):
    try:
        return fn()
    except Exception:  # a widget that went away while we looked
        return default


def until(fn, what, timeout=STEP_TIMEOUT):
    """Polls fn() until it returns something true; returns that.  Fails
    after timeout seconds naming what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = _safe(fn)
        if value:
            return value
        if time.monotonic() > deadline:
            raise StepTimeout('waited %.0f s for %s' % (timeout, what))
        time.sleep(POLL)


def showing(node):
    return node.getState().contains(pyatspi.STATE_SHOWING)


def _matches(value, pattern):
    if pattern is None:
        return True
    if isinstance(pattern, re.Pattern):
        return pattern.search(value or '') is not None
    return value == pattern


def find_all(root, role=None, name=None, text=None, visible=True):
    """Every descendant of root with that role and accessible name (a
    string: equal; a compiled regex: searched), and text for labels and
    entries."""

    def pred(n):
        return ((role is None or n.roleName == role) and _matches(n.name, name)
                and (text is None or _matches(n.text, text))
                and (not visible or showing(n)))

    return root.findChildren(pred)


def find(root, role=None, name=None, text=None, what=None, timeout=STEP_TIMEOUT):
    """The first showing descendant of root with that role and name, once
    there is one."""
    desc = what or '%s “%s”' % (role or 'widget', name.pattern if isinstance(name, re.Pattern)
                                 else name if name is not None else text)
    return until(lambda: (find_all(root, role, name, text) or [None])[0], desc, timeout)


def absent(root, role=None, name=None, text=None, what=None, timeout=STEP_TIMEOUT):
    until(lambda: not find_all(root, role, name, text),
          'the %s to go' % (what or name or text), timeout)


def labels(root):
    """The texts of the showing labels under root."""
    return [n.text for n in find_all(root, 'label')]


def click(node):
    """Presses a button (its accessible action)."""
    until(lambda: node.sensitive, '“%s” to be sensitive' % node.name)
    node.doActionNamed('click')


def point_at(node):
    """Moves the pointer onto node: without a window manager, the window
    under the pointer has the keyboard."""
    x, y = node.position
    w, h = node.size
    rawinput.absoluteMotion(int(x + w / 2), int(y + h / 2))


def focus(entry):
    """Gives entry the keyboard focus, as a click into it would.  A click
    is tried first (a dialog just shown may still be moving into place:
    again until it lands).  Once a window was presented through AT-SPI
    (drawer_button's grab_focus does so), it holds the X input focus,
    which then no longer follows the pointer, and no window manager moves
    it on a click: grab_focus on the entry presents its window in turn."""
    tries = [0]

    def focused():
        if not entry.focused:
            tries[0] += 1
            if tries[0] % 2:
                entry.click()
            else:
                entry.grabFocus()
            time.sleep(0.3)
        return entry.focused

    until(focused, 'the focus in %s “%s”' % (entry.roleName, entry.name))


def type_into(entry, text, check=True):
    """Clicks into entry and types text on the keyboard; waits until the
    entry holds it (a password entry: as many bullets)."""
    focus(entry)
    # Select what is there, so that the typing replaces it.
    rawinput.keyCombo('<Control>a')
    rawinput.typeText(text)
    if check:
        want = ('●' * len(text)) if entry.roleName == 'password text' else text
        until(lambda: entry.text == want, '“%s” typed into “%s” (it holds “%s”)' %
              (text if entry.roleName != 'password text' else '•' * len(text), entry.name,
               entry.text))


def press(key):
    rawinput.pressKey(key)


def id_number(first17):
    """A citizen ID number with its check character (GB 11643)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights))
    return first17 + '10X98765432'[total % 11]


def _ancestors(node):
    out = []
    while node is not None and node.roleName != 'application':
        node = node.parent
        out.append(node)
    return out


def dump(node, out=sys.stdout, depth=0):
    try:
        if depth > 0 and not showing(node):
            return
        extra = ''
        if node.roleName in ('label', 'text', 'password text') and node.text \
                and node.text != node.name:
            extra = ' text=%r' % node.text[:100]
        out.write('%s[%s] %r%s%s\n' % ('  ' * depth, node.roleName, node.name, extra,
                                       '' if node.sensitive else ' (insensitive)'))
        for child in node.children:
            dump(child, out, depth + 1)
    except Exception as e:  # noqa: BLE001
        out.write('%s<gone: %s>\n' % ('  ' * depth, e))


class Desk:
    """The real `insucard --training` on a fresh XDG_DATA_HOME."""

    window_title = APP_TITLE  # a string, or a regex

    def __init__(self):
        self.data = tempfile.mkdtemp(prefix='insucard-e2e-')
        self.proc = None
        self.app = None

    # -- start and stop --------------------------------------------------------------------

    def start(self):
        exe = os.environ.get('INSUCARD_APP')
        if not exe:
            raise SystemExit('INSUCARD_APP is not set (run through meson test)')
        env = dict(os.environ, XDG_DATA_HOME=self.data,
                   XDG_CONFIG_HOME=os.path.join(self.data, 'config'),
                   XDG_CACHE_HOME=os.path.join(self.data, 'cache'))
        # The accessibility bridge must load in the app.
        env.pop('NO_AT_BRIDGE', None)
        self.started = time.monotonic()
        self.log_path = os.path.join(self.data, 'insucard.log')
        self.proc = subprocess.Popen([exe, '--training'], env=env, stdout=open(self.log_path, 'w'),
                                     stderr=subprocess.STDOUT)
        self.app = until(self._application, 'insucard on the accessibility bus', 60)
        self.window = find(self.app, 'frame', self.window_title, timeout=60)
        log('window shown')
        return self

    def _application(self):
        if self.proc.poll() is not None:
            raise SystemExit('insucard exited with %s:\n%s' % (self.proc.returncode,
                                                              open(self.log_path).read()))
        for a in tree.root.children:
            if _safe(lambda: a.name) == 'insucard':
                return a
        return None

    def wait_stocked(self):
        """Until the demo cards are made (the card drawer holds them and
        the issuing administrator's card is in R1)."""
        r1 = find(self.drawer, 'panel', 'R1, the key reader')
        until(lambda: self.alive() and any(ISSUING_ADMIN in (t or '') for t in labels(r1))
              and not find_all(self.window, 'label', text=re.compile('^Preparing the training')),
              'the demo cards', STOCK_TIMEOUT)
        log('demo cards ready after %.1f s' % (time.monotonic() - self.started))
        return self

    def alive(self):
        if self.proc.poll() is not None:
            raise AssertionError('insucard exited with %s:\n%s' %
                                 (self.proc.returncode, open(self.log_path).read()))
        return True

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if os.environ.get('INSUCARD_E2E_KEEP'):
            log('kept %s' % self.data)
        else:
            shutil.rmtree(self.data, ignore_errors=True)

    # -- the registry -----------------------------------------------------------------------

    @property
    def db_path(self):
        """The training database (ic_config_resolve_db_path with training)."""
        return os.path.join(self.data, 'insucard', 'training.db')

    def query(self, sql, *params):
        """Rows of a read-only query on the training database, as the
        registry holds them while the app runs."""
        import sqlite3
        con = sqlite3.connect('file:%s?mode=ro' % self.db_path, uri=True, timeout=30)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def card_row(self, number):
        """(status, holder_id, name) of the card with that number (spaces
        or not) in the registry, or None."""
        rows = self.query('SELECT c.status, c.holder_id, h.name FROM insurance_card c '
                          'JOIN cardholder h ON h.id_number = c.holder_id '
                          'WHERE c.card_number = ?', number.replace(' ', ''))
        return rows[0] if rows else None

    def audit_actions(self, number):
        """(action, outcome) of the audit rows about that card, oldest first."""
        return self.query('SELECT action, outcome FROM audit_log WHERE card_number = ? '
                          'ORDER BY seq', number.replace(' ', ''))

    # -- the window's parts ----------------------------------------------------------------

    @property
    def page(self):
        return find(self.window, 'panel', 'Page')

    @property
    def drawer(self):
        return find(self.window, 'list box', 'Cards in the drawer').parent.parent.parent

    @property
    def sidebar(self):
        return find(self.window, 'panel', 'Pages')

    def message(self):
        """The message bar's text, or None."""
        for bar in (find_all(self.window, 'info bar') + find_all(self.window, 'alert')):
            if self.page in _ancestors(bar):
                continue
            if bar.name != 'Warning' or not any('Training mode' in (t or '')
                                                 for t in labels(bar)):
                texts = [t for t in labels(bar) if t]
                if texts:
                    return ' '.join(texts)
        return None

    def wait_message(self, pattern, timeout=STEP_TIMEOUT):
        return until(lambda: (self.message() or '') if re.search(pattern, self.message() or '')
                     else None, 'the message bar to say /%s/ (it says %r)' %
                     (pattern, self.message()), timeout)

    def dialog(self, name, timeout=STEP_TIMEOUT):
        return find(self.app, None, name, what='the dialog “%s”' % name, timeout=timeout)

    def read_card(self, timeout=60):
        """Reads the card in R2 on the Read card page; returns the text
        of the banner over the result."""
        self.go_to('Read card')
        click(self.button('Read card', self.page))
        self.task_idle(timeout)

        def banner():
            for role in ('info bar', 'alert'):
                for bar in find_all(self.page, role):
                    text = ' '.join(t for t in labels(bar) if t)
                    if text:
                        return text
            return None

        return until(banner, 'the banner of the card read', timeout)

    def alert(self, title, timeout=STEP_TIMEOUT):
        """The message dialog whose title (its first label) is title."""
        return until(lambda: next((a for a in find_all(self.app, 'alert')
                                   if find_all(a, 'label', text=title)), None),
                     'the question “%s”' % title, timeout)

    def go_to(self, title):
        """Clicks the page in the sidebar; waits until it is shown."""
        row_label = find(self.sidebar, 'label', title)
        row_label.click()
        until(lambda: find_all(self.sidebar, 'list item', visible=True)
              and any(row_label in item.children and item.selected
                      for item in find_all(self.sidebar, 'list item')),
              'the page “%s” to be selected' % title)

    def button(self, name, root=None, timeout=STEP_TIMEOUT):
        return find(root or self.window, 'push button', name, timeout=timeout)

    def save_as(self, button, title, path):
        """Saves through the page's button and its save dialog: the full
        path goes into the Name entry (set through AT-SPI: the pointer and
        clicks stay out of the file chooser), then Save."""
        click(self.button(button, self.page))
        chooser = find(self.app, 'file chooser', title)
        name = find(find(chooser, 'label', 'Name:').parent, 'text')
        name.text = path
        until(lambda: name.text == path, 'the path in the Name entry')
        click(find(chooser, 'push button', 'Save'))
        absent(self.app, 'file chooser', title)
        self.task_idle()

    def task_idle(self, timeout=STEP_TIMEOUT):
        """Until no task runs (the task bar's Cancel is gone)."""
        absent(self.window, 'push button', 'Cancel the task', what='running task',
               timeout=timeout)

    # -- the card drawer -------------------------------------------------------------------

    def reader_text(self, reader):
        panel = find(self.drawer, 'panel', '%s, the %s reader' % (reader, 'key' if reader == 'R1'
                                                                  else 'user'))
        return ' '.join(t for t in labels(panel) if t)

    def until_reader(self, reader, text, timeout=STEP_TIMEOUT):
        """Until the drawer shows text on the card in reader."""
        return until(lambda: text in self.reader_text(reader),
                     '“%s” in %s (the drawer shows “%s”)' % (text, reader,
                                                            self.reader_text(reader)), timeout)

    def drawer_button(self, name_pattern):
        """A button of the drawer's card list; one scrolled out of sight
        is brought into view by giving it the focus, as a person would
        scroll to it."""
        pattern = re.compile(name_pattern)
        button = until(lambda: (find_all(self.drawer, 'push button', pattern, visible=False)
                                or [None])[0], 'the drawer button /%s/' % name_pattern)
        if not showing(button):
            _safe(button.grabFocus)
            until(lambda: showing(button), 'the drawer button /%s/ scrolled into view'
                  % name_pattern, 10)
        return button

    def put(self, card_pattern, reader):
        """Puts the first card whose drawer name matches into the reader."""
        click(self.drawer_button('^Put into %s: %s' % (reader, card_pattern)))

    def new_blank_insurance_card_in_r2(self, wait=True):
        """A blank insurance card into R2: one from the drawer, or a new
        one (the drawer's New blank insurance card) when it has none."""
        if 'Blank insurance card' in self.reader_text('R2'):
            return
        put = re.compile('^Put a blank insurance card into R2$')
        if not find_all(self.drawer, 'push button', put, visible=False):
            click(self.button('New blank insurance card', self.drawer))
        click(self.drawer_button(put.pattern))
        if not wait:  # a task waiting for it may write it at once
            return
        until(lambda: 'Blank insurance card' in self.reader_text('R2'),
              'a blank insurance card in R2')

    # -- logging in ------------------------------------------------------------------------

    def pin_dialog(self):
        return self.dialog('Your PIN')

    def type_pin(self, dialog, pin, expect_tries=None):
        text = ' '.join(labels(dialog))
        if expect_tries is not None:
            assert re.search(r'\b%d tries left' % expect_tries, text), \
                'the PIN dialog says %r, not %d tries left' % (text, expect_tries)
        entry = find(dialog, 'password text', 'Your PIN')
        type_into(entry, pin)
        press('Return')
        absent(self.app, None, 'Your PIN', what='PIN dialog')
        return text

    def login(self, card=ISSUING_ADMIN, pin=DEMO_PIN):
        if card not in self.reader_text('R1'):
            self.put(re.escape('Administrator card (%s)' % card), 'R1')
            until(lambda: card in self.reader_text('R1'), 'the card of %s in R1' % card)
        click(self.button('Log in', self.page))
        self.type_pin(self.pin_dialog(), pin)
        find(self.window, 'push button', 'Log out', timeout=STEP_TIMEOUT)
        self.task_idle()
        log('logged in as %s' % card)

    # -- issuing ---------------------------------------------------------------------------

    def field(self, label):
        return find(self.page, 'text', label)

    def issue(self, name, idnum):
        """Issues a card to name from the Issue card page; returns its
        number as the page shows it."""
        self.go_to('Issue card')
        if 'Blank insurance card' not in self.reader_text('R2'):
            self.new_blank_insurance_card_in_r2()
        type_into(self.field('ID number'), idnum)
        type_into(self.field('Name'), name)
        click(self.button('Issue card', self.page))
        number = self.value('Card number', timeout=90)
        assert re.fullmatch(r'\d{4} \d{4} \d{2}', number), number
        log('issued card %s to %s' % (number, name))
        return number

    def value(self, key, root=None, timeout=STEP_TIMEOUT):
        """The text shown to the right of the label key (a summary row),
        as a person reads a form."""
        root = root or self.page

        def look():
            for k in find_all(root, 'label', text=key):
                kx, ky = k.position
                kw, kh = k.size
                best = None
                for v in find_all(k.parent, 'label'):
                    vx, vy = v.position
                    vh = v.size[1]
                    if v is not k and vx > kx + kw - 2 and abs((vy + vh / 2) - (ky + kh / 2)) < 6:
                        if best is None or vx < best.position[0]:
                            best = v
                if best is not None and best.text:
                    return best.text
            return None

        return until(look, 'the value of “%s”' % key, timeout)


def run(test, desk_class=Desk):
    """Runs test(desk) on a new desk (a desk_class); the exit status is the
    test's."""
    # A test stopped from outside (meson's timeout) still removes its desk:
    # the card images there hold the keys the test typed.
    def stop(number, frame):
        raise Stopped(128 + number)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    desk = desk_class()
    status = 1
    try:
        desk.start()
        desk.wait_stocked()
        test(desk)
        status = 0
        log('passed')
    except BaseException as e:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        try:
            # Stopped: the desk's programs are going too; no diagnosis.
            if desk.app is not None and not isinstance(e, Stopped):
                sys.stdout.write('--- the accessibility tree at the failure:\n')
                for w in desk.app.children:
                    dump(w)
                sys.stdout.write('--- the drawer\'s card buttons, scrolled out of sight or not:\n')
                for b in find_all(desk.drawer, 'push button', visible=False):
                    sys.stdout.write('  %r%s\n' % (b.name, '' if showing(b) else ' (hidden)'))
            if os.environ.get('INSUCARD_E2E_SHOT_DIR'):
                shot = os.path.join(os.environ['INSUCARD_E2E_SHOT_DIR'],
                                    os.path.basename(sys.argv[0]) + '.png')
                subprocess.run(['import', '-window', 'root', shot], check=False)
                log('screenshot: %s' % shot)
            sys.stdout.write('--- insucard said:\n' + open(desk.log_path).read())
        except Exception:  # noqa: BLE001
            pass
        if isinstance(e, SystemExit) and e.code == 77:
            status = 77
    finally:
        desk.stop()
    log('took %.1f s' % (time.monotonic() - _T0))
    sys.exit(status)
