# SPDX-License-Identifier: GPL-3.0-or-later
"""a. Logging in with the demo issuing administrator's card: a wrong PIN
first (the PIN dialog says the tries left before it is typed, the message
bar the error after, with one try less), then the right one: the
issuing administrator's pages appear; the audit log has both tries."""
import re

from insucard_e2e import ISSUING_ADMIN, click, find, log, run


def test(desk):
    assert ISSUING_ADMIN in desk.reader_text('R1')
    click(desk.button('Log in', desk.page))
    said = desk.type_pin(desk.pin_dialog(), '654321', expect_tries=5)
    log('the PIN dialog said: %s' % said)
    error = desk.wait_message(r'Wrong PIN')
    assert re.search(r'\b4 tries left', error), error
    log('the message bar said: %s' % error)
    # Still logged out: the Log in page is there.
    find(desk.page, 'label', text='Welcome')

    click(desk.button('Log in', desk.page))
    desk.type_pin(desk.pin_dialog(), '123456', expect_tries=4)
    find(desk.window, 'push button', 'Log out')
    # The issuing administrator's pages, and the message is gone.
    for title in ('Issue card', 'Read card', 'Card actions', 'Batch', 'Unfinished issuances'):
        find(desk.sidebar, 'label', title)
    find(desk.window, 'label', text=re.compile('演示发卡员'))
    assert desk.message() is None or 'Wrong PIN' not in desk.message(), desk.message()
    # The audit log has both tries, the wrong one not ok, by that card.
    rows = desk.query("SELECT action, outcome, error_code FROM audit_log "
                      "WHERE action LIKE 'login%' ORDER BY seq")
    assert rows[-2:] == [('login-failed', 'refused', 'wrong-pin'), ('login', 'ok', '')], rows
    log('audit log: %s' % rows[-2:])


run(test)
