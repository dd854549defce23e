# SPDX-License-Identifier: GPL-3.0-or-later
"""d. Reporting an issued card lost on Card actions (confirmed in the
dialog), then seeing it flagged when it is read."""
import re

from insucard_e2e import click, find, id_number, labels, log, run, type_into, until


def test(desk):
    desk.login()
    number = desk.issue('李娜', id_number('44030619850704002'))

    desk.go_to('Card actions')
    type_into(find(desk.page, 'text', "Lost card's number or serial"), number.replace(' ', ''))
    click(desk.button('Report lost', desk.page))
    # The confirmation names the card; its default is to keep it.
    alert = desk.alert('Report the card lost')
    assert any(number in t for t in labels(alert)), labels(alert)
    click(find(alert, 'push button', 'Report the card lost'))
    desk.task_idle()
    outcome = until(lambda: next((t for t in labels(desk.page)
                                  if 'is reported lost and blacklisted' in (t or '')), None),
                    'Card actions to say the card is reported lost')
    assert number in outcome, outcome
    log('Card actions says: %s' % outcome[:200])

    banner = desk.read_card()
    assert re.search(r'\b(LOST|BLACKLISTED)\b', banner), banner
    assert desk.value('Card number') == number
    log('Read card says: %s' % banner)
    # The registry: the card lost and on the blacklist, the log says so.
    status, holder, _ = desk.card_row(number)
    assert status == 'lost', status
    assert desk.query('SELECT reason FROM blacklist b JOIN insurance_card c ON c.sn = b.sn '
                      'WHERE c.card_number = ?', number.replace(' ', '')) == [('reported lost',)]
    assert ('report-lost', 'ok') in desk.audit_actions(number), desk.audit_actions(number)


run(test)
