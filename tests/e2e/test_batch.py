# SPDX-License-Identifier: GPL-3.0-or-later
"""e. A batch of three rows from a CSV file with one bad row: the bad row
is flagged, the two others are issued, each onto a blank put into R2 with
the card drawer's buttons."""
import os
import re

from insucard_e2e import absent, click, find, find_all, id_number, labels, log, press, run, type_into, until, dump, point_at
from dogtail import rawinput
import time

GOOD = [('王芳', id_number('32010219900101002')), ('陈明', id_number('51010719751111003'))]
BAD_ID = id_number('11010119800101001')[:-1] + ('0' if id_number('11010119800101001')[-1] != '0' else '1')


def test(desk):
    path = os.path.join(desk.data, 'holders.csv')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('id_number,name\n%s,%s\n%s,赵错\n%s,%s\n' % (GOOD[0][1], GOOD[0][0], BAD_ID,
                                                            GOOD[1][1], GOOD[1][0]))
    desk.login()
    desk.go_to('Batch')
    click(desk.button('Open file…', desk.page))
    chooser = desk.dialog('Open a Holder File')
    # A person types the file's path: Ctrl+L opens the location entry.
    point_at(chooser)
    rawinput.keyCombo('<Control>l')
    location = find(find(chooser, 'filler', 'Location Layer'), 'text')
    type_into(location, path)
    press('Return')
    absent(desk.app, 'file chooser', 'Open a Holder File')
    time.sleep(2)
    for w in desk.app.children: dump(w)
    raise SystemExit(3)


run(test)
