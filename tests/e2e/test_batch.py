# SPDX-License-Identifier: GPL-3.0-or-later
"""e. A batch of three rows from a CSV file with one bad row: the file is
opened through the file chooser, the bad row is flagged with its reason,
the two others are issued, each onto a blank put into R2 with the card
drawer when the desk asks for it; the outcome table and the registry both
have the two cards issued and the bad row not."""
import os
import re
import time

from dogtail import rawinput

import insucard_e2e as e2e
from insucard_e2e import absent, click, find, find_all, id_number, log, run, until

GOOD = [('王芳', id_number('32010219900101002')), ('陈明', id_number('51010719751111003'))]
_ok = id_number('11010119800101001')
BAD_ID = _ok[:-1] + ('0' if _ok[-1] != '0' else '1')  # a mistyped check character


def cells(table):
    return [c.name for c in find_all(table, 'table cell', visible=False)]


def test(desk):
    path = os.path.join(desk.data, 'holders.csv')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('id_number,name\n%s,%s\n%s,赵错\n%s,%s\n' % (GOOD[0][1], GOOD[0][0], BAD_ID,
                                                            GOOD[1][1], GOOD[1][0]))
    desk.login()
    desk.go_to('Batch')
    click(desk.button('Open file…', desk.page))
    chooser = desk.dialog('Open a Holder File')
    # Ctrl+L opens the location entry.  Without a window manager the
    # window under the pointer has the keyboard: the pointer goes onto the
    # chooser's file list (a click there would select a file instead).
    def location_entry():
        layer = find_all(chooser, 'filler', 'Location Layer')
        if layer:
            return (find_all(layer[0], 'text') or [None])[0]
        e2e.point_at(find(chooser, 'table', 'Files'))
        time.sleep(0.3)
        rawinput.keyCombo('<Control>l')
        time.sleep(0.5)
        return None

    location = until(location_entry, 'the location entry (Ctrl+L)')
    # The location entry completes names inline as one types, and its
    # completion races the typing under load: the path is set into it in
    # one go (AT-SPI editable text), then Open, as a person clicks it.
    location.text = path
    until(lambda: location.text == path, 'the path in the location entry')
    click(find(chooser, 'push button', 'Open'))
    absent(desk.app, 'file chooser', 'Open a Holder File')

    # The rows checked: two to issue, the third flagged with its reason.
    find(desk.page, 'label', text='2 rows can be issued. 1 row has problems: it is marked '
         'below and will not be issued.')
    rows = find(desk.page, 'table', 'Rows of the file')
    shown = cells(rows)
    assert any(c.startswith('Cannot be issued:') and 'check character' in c for c in shown), shown
    assert shown.count('To issue') == 2, shown

    click(desk.button('Issue 2 cards', desk.page))
    # The desk asks for a blank for every card that finds none in R2 (the
    # first one finds the blank put there by the training stock); each
    # time, a blank goes into R2 from the drawer.
    asked = set()
    ask = re.compile(r'^Card (\d) of 2, for (\S+): put a blank insurance card into R2\.')

    def question():
        if find_all(desk.page, 'label', text='The batch is finished.'):
            return 'finished'
        for t in find_all(desk.app, 'label', text=ask):
            if t.text.split()[1] not in asked:
                return t.text
        return None

    while True:
        said = until(question, 'the batch to ask for a card or to finish', 120)
        if said == 'finished':
            break
        log('the desk asks: %s' % said)
        n = int(said.split()[1])
        asked.add(str(n))

        def blank_put():
            # Done when card n is under way in the registry (or the batch
            # is over); the drawer may still show the card written last as
            # it was.  A click on a drawer row that is being rebuilt is
            # lost: put a blank again until then.
            if (question() == 'finished'
                    or desk.query('SELECT count(*) FROM insurance_card')[0][0] >= n):
                return True
            put = re.compile('^Put a blank insurance card into R2$')
            if not find_all(desk.drawer, 'push button', put, visible=False):
                click(desk.button('New blank insurance card', desk.drawer))
            click(desk.drawer_button(put.pattern))
            time.sleep(2)
            return False

        until(blank_put, 'a blank in R2 for the batch', 60)
    assert asked == {'2'}, asked
    desk.task_idle()
    outcome = find(desk.page, 'table', 'Outcome of each row')
    got = cells(outcome)
    assert got.count('Issued') == 2 and got.count('Not issued') == 1, got
    numbers = [c for c in got if re.fullmatch(r'\d{4} \d{4} \d{2}', c)]
    assert len(numbers) == 2, got
    log('outcome: issued %s' % ', '.join(numbers))

    # The registry: both holders have an issued card; the bad row none.
    for name, idnum in GOOD:
        rows = desk.query('SELECT c.status, h.name FROM insurance_card c JOIN cardholder h '
                          'ON h.id_number = c.holder_id WHERE c.holder_id = ?', idnum)
        assert rows == [('issued', name)], (idnum, rows)
    assert desk.query('SELECT count(*) FROM insurance_card WHERE holder_id = ?', BAD_ID) == [(0,)]
    statuses = desk.query('SELECT line_no, status FROM batch_row ORDER BY line_no')
    assert statuses == [(2, 'issued'), (3, 'bad'), (4, 'issued')], statuses
    # The last card is still in R2: it reads back as the second holder's.
    banner = desk.read_card()
    assert banner == 'The card checks and is in use.', banner
    assert desk.value('Name') == GOOD[1][0], desk.value('Name')


run(test)
