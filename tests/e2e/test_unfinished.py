# SPDX-License-Identifier: GPL-3.0-or-later
"""f. A card pulled out of R2 in the middle of its issuance (the drawer's
"Pull it during the next write"): the desk says the card was removed, the
registry keeps the issuance as started; the clerk puts the card back and
finishes it on the Unfinished issuances page; the card then reads as
issued and in use."""
import re

from insucard_e2e import absent, click, find, id_number, labels, log, run, type_into, until

HOLDER = '刘洋'
ID = id_number('31010419720315004')


def test(desk):
    desk.login()
    desk.go_to('Issue card')
    desk.new_blank_insurance_card_in_r2()
    serial = re.search(r'Serial ([0-9A-F]{16})', desk.reader_text('R2')).group(1)
    click(desk.button('Pull it during the next write', desk.drawer))
    type_into(desk.field('ID number'), ID)
    type_into(desk.field('Name'), HOLDER)
    click(desk.button('Issue card', desk.page))

    error = desk.wait_message(r'card was removed during the work', timeout=90)
    log('the message bar said: %s' % error)
    desk.until_reader('R2', 'Empty')
    desk.task_idle()
    journal = desk.query('SELECT state, card_number FROM issuance_journal WHERE sn = ?', serial)
    # The journal keeps the issuance open (stopped on a failed write).
    assert len(journal) == 1 and journal[0][0] in ('started', 'failed'), journal
    number = journal[0][1]
    status = desk.query('SELECT status FROM insurance_card WHERE sn = ?', serial)
    assert status != [('issued',)], status
    log('registry: journal %s, card %s' % (journal[0][0], status))

    desk.go_to('Unfinished issuances')
    click(desk.button('Refresh', desk.page))
    desk.task_idle()
    finish = find(desk.page, 'push button', re.compile('^Finish issuing card '))
    shown = finish.name[len('Finish issuing card '):]
    assert shown.replace(' ', '') == number, (shown, number)
    # The card back into R2, as the page asks; then Finish.
    # That very card (the drawer shows it alone, not among the blanks).
    desk.put('.*%s' % serial, 'R2')
    desk.until_reader('R2', serial)
    click(finish)
    desk.task_idle(90)
    done = until(lambda: next((t for t in labels(desk.page)
                               if re.search(r'is issued to %s' % HOLDER, t or '')), None),
                 'the page to say the card is issued')
    log('Unfinished issuances says: %s' % done)
    assert shown in done, done
    # Nothing left to finish (the list's placeholder is not in the tree).
    absent(desk.page, 'push button', re.compile('^Finish issuing card '), what='Finish button')

    assert desk.card_row(number) == ('issued', ID, HOLDER), desk.card_row(number)
    # The journal: the failed attempt, then the finish that completed it.
    assert desk.query('SELECT state FROM issuance_journal WHERE sn = ? ORDER BY id',
                      serial)[-1] == ('completed',)
    actions = desk.query('SELECT action, outcome FROM audit_log WHERE card_sn = ? ORDER BY seq',
                         serial)
    assert ('issue', 'failed') in actions and ('issue-finish', 'ok') in actions, actions
    banner = desk.read_card()
    assert banner == 'The card checks and is in use.', banner
    assert desk.value('Name') == HOLDER and desk.value('ID number') == ID
    log('read back: %s %s' % (desk.value('Card number'), desk.value('Registry status')))


run(test)
