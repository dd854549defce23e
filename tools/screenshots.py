# SPDX-License-Identifier: GPL-3.0-or-later
"""tools/screenshots.py: driven by tools/screenshots (which see).  Starts
the real `insucard --training` in the language of the environment, logs in
with the demo cards one after the other and captures every main page and
the main dialogs and wizards into INSUCARD_SHOT_DIR.

Widgets are found by their accessible names translated with the build's
catalogue (INSUCARD_LOCALEDIR), so the same walk works in English and in
Chinese."""
import gettext
import os
import re
import subprocess
import time

import insucard_e2e as e2e
from insucard_e2e import click, find, find_all, log, until

OUT = os.environ['INSUCARD_SHOT_DIR']
LANG = os.environ.get('LANGUAGE', 'en')
_cat = gettext.translation('insucard', os.environ.get('INSUCARD_LOCALEDIR', ''),
                           languages=[LANG.split('.')[0]], fallback=True)


def T(msgid):
    """msgid as the app shows it: translated, the mnemonic's underscore
    gone (GTK keeps the letter: 登录(_L) is named 登录(L))."""
    return _cat.gettext(msgid).replace('_', '')


def N(msgid):
    """A name as the app may show it: translated, or as in the source (a
    catalogue still being translated, or a string with a context)."""
    return re.compile('^(%s|%s)$' % (re.escape(T(msgid)), re.escape(msgid.replace('_', ''))))


def shot(name, node=None):
    """The screen (1280x800), or the window node only, as
    docs/screenshots/LANG/name.png, in 256 colours."""
    time.sleep(0.8)  # the last frame painted
    path = os.path.join(OUT, name + '.png')
    crop = '1280x800+0+0'
    if node is not None:
        (x, y), (w, h) = node.position, node.size
        crop = '%dx%d+%d+%d' % (min(w, 1280 - max(x, 0)), min(h, 800 - max(y, 0)), max(x, 0),
                                max(y, 0))
    subprocess.run(['import', '-window', 'root', '-crop', crop, '+repage',
                    '-strip', '-colors', '256', '+dither',
                    '-define', 'png:compression-level=9', 'PNG8:' + path], check=True)
    log('captured %s' % path)


class Desk(e2e.Desk):
    window_title = re.compile('.')  # the main window, in any language

    def wait_stocked(self):
        # Language-free: the demo system is made when its key card is in
        # the registry and the drawer lists the administrators' cards.
        until(lambda: self.alive() and os.path.exists(self.db_path)
              and self.query("SELECT count(*) FROM cpu_card WHERE kind = 'kc'")[0][0] >= 1
              and len(self.card_buttons('R1', '演示')) >= 3,
              'the demo cards', e2e.STOCK_TIMEOUT)
        time.sleep(2)
        return self

    @property
    def drawer(self):
        return find(self.window, 'list box', N('Cards in the drawer')).parent.parent.parent

    @property
    def sidebar(self):
        return find(self.window, 'panel', N('Pages'))

    @property
    def page(self):
        return find(self.window, 'panel', N('Page'))

    def card_buttons(self, reader, who):
        prefix = T('Put into %s: %%s' % reader).split('%s')[0].replace('%%', '%')
        return [b for b in find_all(self.drawer, 'push button', visible=False)
                if (b.name or '').startswith(prefix) and who in b.name]

    def login_as(self, who, pin=e2e.DEMO_PIN, pin_shot=None):
        if find_all(self.window, 'push button', N('Log _out')):
            click(self.button(N('Log _out')))
            find(self.window, 'push button', N('Log in'))
            self.task_idle()
        button = self.card_buttons('R1', who)[0]
        if e2e._safe(lambda: button.sensitive):
            e2e._safe(button.grabFocus)
            click(button)
        time.sleep(1)
        # The header's Log in: the page shown after a log-out may be one
        # that needs no login (the ceremonies), not the Log in page.
        click(find(self.window, 'push button', N('Log in')))
        dialog = self.dialog(N('Your PIN'))
        entry = find(dialog, 'password text', N('Your PIN'))
        # The pointer on the dialog gives it the keyboard (no window
        # manager); its entry has the focus in it.
        time.sleep(0.5)
        e2e.point_at(entry)
        e2e.rawinput.click(*[int(p + d / 2) for p, d in zip(entry.position, entry.size)])
        e2e.rawinput.typeText(pin)
        until(lambda: len(entry.text or '') == len(pin), 'the PIN typed')
        if pin_shot:
            shot(pin_shot)
        e2e.press('Return')
        find(self.window, 'push button', N('Log _out'), timeout=60)
        self.task_idle()
        log('logged in as %s' % who)

    def open_page(self, title):
        find(self.sidebar, 'label', N(title)).click()
        time.sleep(0.5)
        self.task_idle()

    def show(self, title, name):
        self.open_page(title)
        shot(name)


def main(desk):
    desk.window.click()  # focus and pointer inside the window
    shot('login')
    desk.login_as('演示发卡员', pin_shot='pin-dialog')
    for title, name in (('Issue card', 'issue-card'), ('Read card', 'read-card'),
                        ('Rewrite card', 'rewrite-card'), ('Card actions', 'card-actions'),
                        ('History', 'history'), ('Batch', 'batch'),
                        ('Unfinished issuances', 'unfinished-issuances')):
        desk.show(title, name)
    # A card issued from the form onto the blank of the training stock
    # (in R2): the page after it, then the card read back.
    desk.open_page('Issue card')
    e2e.type_into(find(desk.page, 'text', N('ID number')), e2e.id_number('51040219850317002'))
    e2e.type_into(find(desk.page, 'text', N('Name')), '张伟')
    click(desk.button(N('_Issue card'), desk.page))
    desk.task_idle(90)
    until(lambda: re.search(r'\d{4} \d{4} \d{2}', ' '.join(t or '' for t in e2e.labels(desk.page))),
          'the number of the card issued', 60)
    shot('issue-card-done')
    desk.open_page('Read card')
    click(desk.button(N('_Read card'), desk.page))
    desk.task_idle(60)
    shot('read-card-result')

    desk.login_as('演示系统管理员')
    desk.show('CPU cards', 'cpu-cards')
    desk.show('Ceremonies', 'ceremonies')
    # The first page of every wizard: who must be present, what to have
    # ready, what happens.
    for button, name in WIZARDS:
        wizard_first_page(desk, button, name)

    desk.login_as('演示审计员')
    desk.show('Audit log', 'audit-log')
    # The verdict, with the auditor's card (in R1 since the login).
    click(desk.button(N('_Verify the log'), desk.page))
    desk.task_idle(60)
    verdict = find(desk.page, 'label', N('Verdict of the check'), timeout=60)
    until(lambda: verdict.text, 'the verdict of the check', 60)
    shot('audit-log-verified')
    desk.show('Issuance reports', 'issuance-reports')


# The Ceremonies page's buttons (accessible names) and their pictures.
WIZARDS = (('Make the master control card', 'wizard-mcc'),
           ('Make the key transport card', 'wizard-ktc'),
           ('Make administrator or key cards', 'wizard-opcards'),
           ('Unblock a PIN', 'wizard-pin-unblock'),
           ('Change a PIN', 'wizard-pin-change'),
           ('Wash a card', 'wizard-wash'),
           ('Check a card', 'wizard-check'),
           ('Rebuild the key transport card', 'wizard-ktc-rebuild'))


def wizard_first_page(desk, button, name):
    """Opens the wizard behind button, captures its window, cancels it."""
    # A button scrolled out of sight comes into view with the focus.
    node = until(lambda: (find_all(desk.page, 'push button', N(button), visible=False)
                          or [None])[0], 'the button “%s”' % button)
    if not e2e.showing(node):
        e2e._safe(node.grabFocus)
        until(lambda: e2e.showing(node), 'the button “%s” scrolled into view' % button, 10)
    click(node)
    wizard = until(lambda: next((w for w in desk.app.children
                                 if w.roleName in ('frame', 'dialog', 'window')
                                 and w is not desk.window and e2e.showing(w)), None),
                   'the wizard “%s”' % button)
    shot(name, wizard)
    # Cancel: GTK's own word (its catalogue, not ours).
    click(find(wizard, 'push button', re.compile(r'^(Cancel|取消)')))
    time.sleep(1)
    for a in find_all(desk.app, 'alert'):  # "Stop the ceremony?"
        buttons = find_all(a, 'push button')
        if buttons:
            click(buttons[-1])
    until(lambda: len([w for w in desk.app.children if e2e.showing(w)]) == 1,
          'the wizard “%s” to close' % button, 20)

if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    e2e.run(main, Desk)
