# SPDX-License-Identifier: GPL-3.0-or-later
"""b, c. Issuing a card from the form (the holder typed on the keyboard),
seeing its number, and reading it back on the Read card page: the card's
contents (number, name, ID number) as read, and the registry's row.  The
hand-over receipt is saved as a PDF through the page's save dialog."""
import os

from insucard_e2e import id_number, log, run

HOLDER = '张伟'
ID = id_number('11010519491231001')


def test(desk):
    desk.login()
    number = desk.issue(HOLDER, ID)
    # The page shows the holder the card was issued to; the drawer's R2
    # shows the same number on the card.
    assert desk.value('Holder') == '%s (%s)' % (HOLDER, ID), desk.value('Holder')
    desk.until_reader('R2', 'No. %s' % number)
    receipt = os.path.join(desk.data, 'receipt.pdf')
    desk.save_as('Save receipt as PDF…', 'Save the Hand-over Receipt', receipt)
    desk.wait_message('^The receipt of card %s is saved as ' % number)
    with open(receipt, 'rb') as f:
        assert f.read(5) == b'%PDF-', 'the receipt is no PDF'

    banner = desk.read_card()
    assert banner == 'The card checks and is in use.', banner
    assert desk.value('Card number') == number
    assert desk.value('Name') == HOLDER, desk.value('Name')
    assert desk.value('ID number') == ID, desk.value('ID number')
    assert desk.value('Registry status') == 'issued, in use', desk.value('Registry status')
    # The registry: the card issued to that holder; the journal closed;
    # the log has the issuance, its finish and the read.
    assert desk.card_row(number) == ('issued', ID, HOLDER), desk.card_row(number)
    assert desk.query('SELECT state FROM issuance_journal WHERE card_number = ?',
                      number.replace(' ', '')) == [('completed',)]
    actions = desk.audit_actions(number)
    for want in (('issue', 'ok'), ('issue-finish', 'ok'), ('read', 'ok')):
        assert want in actions, actions
    log('read back: %s, %s, %s' % (number, desk.value('Name'), desk.value('Registry status')))


run(test)
