# SPDX-License-Identifier: GPL-3.0-or-later
"""g. The three key ceremonies through their wizards on the Ceremonies
page, as the demo system administrator with inputs of the test's own (not
the demo ones): a master control card, a key transport card made under
it, and an issuing administrator's card made under both, each on a new
blank CPU card put into R2 from the card drawer.  Every check value a
wizard shows (each entry's KCV confirmation and the cards' KCVs on the
summary) is the one the test computes itself from what it typed
(docs: card-system.md, section 2; DES from python3-cryptography); the
registry records each card with those check values, and the drawer shows
the new cards by kind."""
import re
import time

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from insucard_e2e import (SYSTEM_ADMIN, _safe, click, find, find_all, focus, labels, log, run,
                          showing, type_into, until)

# The inputs, different from the demo ones (docs/user-guide.md).
MK = '3C5A0F1E2D4B6978A1B2C3D4E5F60718'
MCC_PIN = '24681357'
CODE1 = '8080123405671122'
CODE2 = '4411900327265538'
PSUB = '1F2E3D4C5B6A7988'
DSUB = 'A0B1C2D3E4F50617'
KTC_PINS = ('4826', '7315', '9054')
HOLDER = '周敏'
STAFF = 'S-0420'
OFFICE = '510411'
HOLDER_PIN = '86420135'


# -- the check values, computed here (card-system.md, section 2) ----------------------------------

def _ede3(key24, block):
    """3DES-EDE ECB of one block with a 24-byte key, in this process (a
    key on a command line would be in every process listing)."""
    encryptor = Cipher(algorithms.TripleDES(key24), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def des(key, block):
    return _ede3(key * 3, block)  # K‖K‖K: single DES, no legacy provider


def tdes(key, block):
    return _ede3(key + key[:8], block)  # 2-key EDE


def div(key, factor):
    return tdes(key, factor) + tdes(key, bytes(b ^ 0xFF for b in factor))


def kcv(key):
    """First 3 bytes of TDES_K(0…0) (DES_K for an 8-byte key), as the
    wizards show it: "08 D7 B4"."""
    enc = des(key, bytes(8)) if len(key) == 8 else tdes(key, bytes(8))
    return ' '.join('%02X' % b for b in enc[:3])


# The demo KCV of the common test key (crypto-kat.txt): the helpers are
# right before anything is compared with them.
assert kcv(bytes.fromhex('0123456789ABCDEFFEDCBA9876543210')) == '08 D7 B4'

code1 = bytes.fromhex(CODE1)  # 16 digits packed as BCD: the DES key
code2 = bytes.fromhex(CODE2)
psub, dsub = bytes.fromhex(PSUB), bytes.fromhex(DSUB)
PKEY = des(code1, psub) + des(code2, psub)
DKEY = des(code1, dsub) + des(code2, dsub)
AKEY = div(DKEY, b'AUDITLOG')
WANT = {
    'Master key (MK)': kcv(bytes.fromhex(MK)),
    'Code 1 (leader I)': kcv(code1),
    'Code 2 (leader II)': kcv(code2),
    'PSUB (system administrator)': kcv(psub),
    'DSUB (system administrator)': kcv(dsub),
    'Pkey': kcv(PKEY),
    'Dkey': kcv(DKEY),
    'Akey': kcv(AKEY),
}


# -- the wizard's windows -------------------------------------------------------------------------

def gone(node):
    """True once node is no longer on screen (or no longer there)."""
    try:
        return not showing(node)
    except Exception:  # noqa: BLE001 (destroyed)
        return True


def toplevel(desk, title, role):
    """The showing window of the app with that title and role."""
    return until(lambda: next((w for w in desk.app.children
                               if w.name == title and w.roleName == role and showing(w)), None),
                 'the window “%s”' % title)


def answer_secret(desk, title, value):
    """Types value into the secret dialog title (twice when it asks so)
    and presses OK; waits until the dialog is gone."""
    dialog = toplevel(desk, title, 'dialog')
    for entry in [find(dialog, 'password text', title)] + find_all(dialog, 'password text',
                                                                   'Type it again'):
        type_into(entry, value)
    # OK is sensitive only once the entries parse and agree.
    click(find(dialog, 'push button', 'OK'))
    until(lambda: gone(dialog), 'the dialog “%s” to close' % title)


def answer_question(desk, title, button):
    """Presses button in the question (message dialog) title; returns its
    text."""
    alert = desk.alert(title)
    text = ' '.join(t for t in labels(alert) if t)
    click(find(alert, 'push button', button))
    until(lambda: gone(alert), 'the question “%s” to close' % title)
    return text


def confirm_kcv(desk, entry):
    """The KCV confirmation after entry: it names the entry and shows the
    KCV the test computed; yes."""
    text = answer_question(desk, 'Check value (KCV)', 'Yes')
    shown = re.search(r'“(.+)” is ([0-9A-F]{2} [0-9A-F]{2} [0-9A-F]{2})\.', text)
    assert shown, text
    assert shown.group(1) == entry, (entry, text)
    assert shown.group(2) == WANT[entry], 'KCV of %s: the wizard shows %s, the test computes %s' \
        % (entry, shown.group(2), WANT[entry])
    log('KCV of %s: %s' % (entry, shown.group(2)))


def hand_over(desk, to_whom):
    text = answer_question(desk, 'Next person', 'I am ready')
    assert 'Pass the keyboard to %s.' % to_whom in text, text


def instruction(wizard):
    return find(wizard, 'label', 'What to do now').text or ''


def until_asked(wizard, text):
    until(lambda: text in instruction(wizard),
          'the wizard to say “%s” (it says “%s”)' % (text, instruction(wizard)))


def start_wizard(desk, button, title, who):
    """Opens the wizard from its button on the Ceremonies page; returns
    it on its first page, which says who must be present."""
    click(desk.button(button, desk.page))
    wizard = toplevel(desk, title, 'frame')
    find(wizard, 'label', who)
    return wizard


def summary(wizard, outcome, timeout=120):
    """Waits for the summary page; checks its outcome."""
    said = find(wizard, 'label', 'Outcome', timeout=timeout).text
    assert said == outcome, (said, [t for t in labels(wizard) if t])
    return said


def assert_kcv(root, name, key):
    """The KCV the label name under root shows is the test's for key."""
    shown = find(root, 'label', name).text
    assert shown == WANT[key], '%s: the wizard shows %s, the test computes %s' \
        % (name, shown, WANT[key])


def close(wizard):
    click(find(wizard, 'push button', 'Close'))
    until(lambda: gone(wizard), 'the wizard to close')


def blank_cpu_into_r2(desk):
    """A new blank CPU card from the drawer into R2, where a wizard waits
    for it (and may start writing it at once)."""
    before = desk.reader_text('R2')
    click(desk.button('New blank CPU card', desk.drawer))

    def put():
        if desk.reader_text('R2') != before:
            return True
        # A click on a drawer row that is being rebuilt is lost: click
        # again until R2 shows the card.  Again is harmless: the blank is
        # the drawer's only one, and a card put where it is stays there.
        _safe(lambda: click(desk.drawer_button('^Put a blank CPU card into R2$')))
        time.sleep(2)
        return False

    until(put, 'the blank CPU card in R2 (the drawer shows “%s”)' % desk.reader_text('R2'))


def made_serial(wizard, kind):
    """The serial of the card the summary lists as card 1 of that kind."""
    row = find(wizard, None, re.compile('^Card 1: %s [0-9A-F]{16}$' % kind))
    return row.name.rsplit(' ', 1)[1]


# -- the test -------------------------------------------------------------------------------------

def test(desk):
    desk.login(SYSTEM_ADMIN)
    desk.go_to('Ceremonies')

    # 1. The master control card: a blank into R2, MK and its KCV, PIN.
    wizard = start_wizard(desk, 'Make the master control card', 'Make the master control card',
                          'The system administrator, alone at the keyboard.')
    click(find(wizard, 'push button', 'Next'))
    until_asked(wizard, 'Put a blank CPU card into R2')
    blank_cpu_into_r2(desk)
    answer_secret(desk, 'Master key (MK)', MK)
    confirm_kcv(desk, 'Master key (MK)')
    answer_secret(desk, 'New PIN', MCC_PIN)
    summary(wizard, 'The master control card is made')
    assert_kcv(wizard, 'KCV of the master key (MK)', 'Master key (MK)')
    mcc = made_serial(wizard, 'master control card')
    close(wizard)
    log('master control card %s made' % mcc)

    # 2. The key transport card, under that MCC: it goes into R1 (the
    # administrator's card leaves it, which logs out: the ceremony goes
    # on), its PIN; then the three custodians in turn, then a blank.
    wizard = start_wizard(desk, 'Make the key transport card', 'Make the key transport card',
                          'Leader I, leader II and the system administrator. Each types alone '
                          'while the others look away.')
    click(find(wizard, 'push button', 'Next'))
    until_asked(wizard, 'Put the master control card into R1')
    desk.put(re.escape('Master control card (Serial %s)' % mcc), 'R1')
    desk.until_reader('R1', mcc)
    desk.wait_message(r'^Your card left R1: you are logged out\.$')
    answer_secret(desk, 'PIN', MCC_PIN)
    # The demo system has its KTC: another one is asked for.
    answer_question(desk, 'Another key transport card', 'Yes')
    hand_over(desk, 'leader I')
    answer_secret(desk, 'Code 1 (leader I)', CODE1)
    confirm_kcv(desk, 'Code 1 (leader I)')
    answer_secret(desk, 'New PIN', KTC_PINS[0])
    hand_over(desk, 'leader II')
    answer_secret(desk, 'Code 2 (leader II)', CODE2)
    confirm_kcv(desk, 'Code 2 (leader II)')
    answer_secret(desk, 'New PIN', KTC_PINS[1])
    hand_over(desk, 'the system administrator')
    answer_secret(desk, 'PSUB (system administrator)', PSUB)
    confirm_kcv(desk, 'PSUB (system administrator)')
    answer_secret(desk, 'DSUB (system administrator)', DSUB)
    confirm_kcv(desk, 'DSUB (system administrator)')
    answer_secret(desk, 'New PIN', KTC_PINS[2])
    until_asked(wizard, 'Put a blank CPU card into R2')
    blank_cpu_into_r2(desk)
    summary(wizard, 'The key transport card is made')
    ktc = made_serial(wizard, 'key transport card')
    assert_kcv(wizard, 'KCV of the issuing key (Pkey)', 'Pkey')
    assert_kcv(wizard, 'KCV of the data key (Dkey)', 'Dkey')
    log('key transport card %s made: Pkey %s, Dkey %s' % (ktc, WANT['Pkey'], WANT['Dkey']))
    close(wizard)

    # 3. An issuing administrator's card: MCC in R1, the KTC still in R2;
    # then a blank for it, and the holder's PIN.
    wizard = start_wizard(desk, 'Make administrator or key cards',
                          'Make administrator and key cards',
                          'The system administrator, with each card\'s future holder, who sets '
                          'their own PIN.')
    click(find(wizard, 'push button', 'Next'))
    # The wizard to the front (the drawer's window may cover it), then the
    # card type from its list, as a person picks it.
    focus(find(wizard, 'text', "Holder's name"))
    find(wizard, 'combo box', 'Card type').click()
    item = find(desk.app, 'menu item', 'Administrator card: issuing administrator')
    item.click()
    until(lambda: gone(item), 'the card type list to close')
    for name, text in (("Holder's name", HOLDER), ('Staff number', STAFF),
                       ('Office code', OFFICE)):
        type_into(find(wizard, 'text', name), text)
    click(find(wizard, 'push button', 'Add to the batch'))
    assert find(wizard, 'label', 'Cards in the batch').text == '1 card to make:'
    find(wizard, None, '1. Administrator card (issuing administrator) of %s (%s), office %s'
         % (HOLDER, STAFF, OFFICE))
    click(find(wizard, 'push button', 'Next'))
    answer_secret(desk, 'PIN', MCC_PIN)
    until_asked(wizard, 'Put blank CPU card 1 of 1 into R2.')
    blank_cpu_into_r2(desk)
    hand_over(desk, '%s (card 1 of 1)' % HOLDER)
    answer_secret(desk, 'New PIN', HOLDER_PIN)
    summary(wizard, '1 card is made')
    ac = made_serial(wizard, 'administrator card')
    row = find(wizard, None, 'Card 1: administrator card %s' % ac)
    for key, name in (('Pkey', 'KCV of the issuing key (Pkey)'),
                      ('Dkey', 'KCV of the data key (Dkey)'),
                      ('Akey', 'KCV of the audit key (Akey)')):
        assert_kcv(row, name, key)
    log('administrator card %s made: Akey %s' % (ac, WANT['Akey']))
    close(wizard)

    # The registry: each card with the check values computed here.
    rows = desk.query('SELECT serial, kind, role, holder_name, kcv_mk, kcv_pkey, kcv_dkey, '
                      'kcv_akey, status FROM cpu_card WHERE serial IN (?, ?, ?)',
                      mcc, ktc, ac)
    nospace = {k: v.replace(' ', '') for k, v in WANT.items()}
    want_rows = [
        (mcc, 'mcc', '', '', nospace['Master key (MK)'], '', '', '', 'active'),
        (ktc, 'ktc', '', '', '', nospace['Pkey'], nospace['Dkey'], '', 'active'),
        (ac, 'ac', 'issuing-admin', HOLDER, '', nospace['Pkey'], nospace['Dkey'], nospace['Akey'],
         'active'),
    ]
    assert sorted(rows) == sorted(want_rows), rows
    log('registry: %s' % rows)

    # The master control card made by the logged-in system administrator,
    # the others under that master control card.
    admin = desk.query("SELECT serial FROM cpu_card WHERE role = 'system-admin' AND "
                       "holder_name = ?", SYSTEM_ADMIN.split(',')[0])[0][0]
    made_by = desk.query('SELECT serial, made_by_serial FROM cpu_card WHERE serial IN (?, ?, ?)',
                         mcc, ktc, ac)
    assert sorted(made_by) == sorted([(mcc, admin), (ktc, mcc), (ac, mcc)]), (admin, made_by)

    # The drawer lists the new cards by kind: the MCC in R1, the new
    # administrator's card in R2, the KTC back in the drawer.
    desk.until_reader('R1', 'Master control card\nSerial %s' % mcc)
    desk.until_reader('R2', 'Administrator card\n%s, issuing administrator' % HOLDER)
    rows = [r.name for r in find_all(desk.drawer, 'list item', visible=False)]
    for row in ('Master control card, Serial %s, in R1' % mcc,
                'Key transport card, Serial %s' % ktc,
                'Administrator card, %s, issuing administrator, in R2' % HOLDER):
        assert row in rows, (row, rows)
    log('drawer: %s' % [r for r in rows if mcc in r or ktc in r or HOLDER in r])


run(test)
