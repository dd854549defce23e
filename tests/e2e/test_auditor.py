# SPDX-License-Identifier: GPL-3.0-or-later
"""h. The auditor's Audit log page, with the demo auditor's card: after the
issuing administrator issued two cards, the filters (an action chosen in
its list, a card number typed) show exactly the rows the training
database has for them; Verify the log says the log is intact through the
newest row and sealed through the last seal, as the database has them;
the rows shown are exported as CSV (the same rows, field for field) and
as a PDF report (a PDF, with the filter, the totals and the chain head of
the database); then one row is altered in the database file behind the
app's back (the append-only trigger dropped and put back, as an attacker
with the file would): Verify the log names that row as altered and
selects it."""
import csv
import os
import re
import shutil
import sqlite3
import subprocess

import insucard_e2e as e2e
from insucard_e2e import (absent, click, find, find_all, id_number, log, run, showing,
                          type_into, until)

AUDITOR = '演示审计员, auditor'
HOLDERS = [('李娜', id_number('44030619850704002')), ('王芳', id_number('32010219900101002'))]
COLUMNS = ('seq, at, workstation, operator_serial, operator_name, role, action, card_sn, '
           'card_number, holder_id, outcome, error_code, detail')
N_COLUMNS = 8  # of the list: Row, Time, Operator, Action, Outcome, Card or holder, ...


# -- logging in and out ---------------------------------------------------------------------------

def logout(desk):
    click(desk.button('Log out'))
    find(desk.page, 'push button', 'Log in')
    desk.task_idle()
    log('logged out')


# -- the page's widgets ---------------------------------------------------------------------------

def choose(desk, combo_name, item):
    """Chooses item in the drop-down list combo_name: a click opens its
    menu, a click on the item chooses it.  The menu opens with the item
    chosen before over the list, so that the first ones may be off the
    screen above it: an item outside the window is chosen with its
    accessible action instead."""
    combo = find(desk.page, 'combo box', combo_name)
    menu = combo.children[0]
    combo.click()
    until(lambda: showing(menu), 'the list of “%s” to open' % combo_name)
    entry = find(menu, 'menu item', item)
    (x, y), (w, h) = entry.position, entry.size
    (wx, wy), (ww, wh) = desk.window.position, desk.window.size
    if wx <= x and x + w <= wx + ww and wy <= y and y + h <= wy + wh:
        entry.click()
    else:
        entry.doActionNamed('click')
    until(lambda: combo.querySelection().getSelectedChild(0).name == item,
          '“%s” chosen in “%s”' % (item, combo_name))
    absent(desk.app, 'menu item', item, what='the list of “%s”' % combo_name)


def verdict(desk):
    return find(desk.page, 'label', 'Verdict of the check').text or ''


def verify(desk, pattern):
    """Verify the log; waits until the verdict says /pattern/."""
    click(desk.button('Verify the log', desk.page))
    desk.task_idle(90)
    return until(lambda: re.search(pattern, verdict(desk)),
                 'the verdict to say /%s/ (it says %r)' % (pattern, verdict(desk))).string


# -- the list against the registry ----------------------------------------------------------------

def wait_rows(desk, where, params=(), whole=True):
    """Until the list shows exactly the rows of the training database
    that match where (an SQL condition on audit_log), up to the row the
    list was made at, newest first (not whole: the first of them, as many
    as fit); returns (that row, the rows, the cells shown per row)."""
    count = find(desk.page, 'label', 'Rows found')
    table = find(desk.page, 'table', 'Audit log rows')
    seen = {}

    def same():
        m = re.fullmatch(r'(\d+) rows?, newest first \(the log up to row (\d+)\)', count.text or '')
        cells = [c.name for c in find_all(table, 'table cell')]
        shown = [cells[i:i + N_COLUMNS] for i in range(0, len(cells), N_COLUMNS)]
        seen.update(label=count.text, shown=[r[0] for r in shown])
        if not m:
            return None
        through = int(m.group(2))
        want = desk.query('SELECT %s FROM audit_log WHERE (%s) AND seq <= ? '
                          'ORDER BY at DESC, seq DESC' % (COLUMNS, where), *params, through)
        seen.update(want=[r[0] for r in want])
        wanted = [str(r[0]) for r in want]
        if not whole:
            wanted = wanted[:len(shown)]
        if int(m.group(1)) != len(want) or not shown or [r[0] for r in shown] != wanted:
            return None
        return through, want, shown

    try:
        through, want, shown = until(same, 'the list to show the rows where %s %s' %
                                     (where, params))
    except e2e.StepTimeout as e:
        raise e2e.StepTimeout('%s; last seen: %r' % (e, seen)) from None
    log('%s: rows %s (through row %d)' % (count.text, [r[0] for r in want], through))
    return through, want, shown


# -- the test -------------------------------------------------------------------------------------

def test(desk):
    # Log rows worth filtering: two cards issued by the issuing
    # administrator, then a logout (which seals the log).
    desk.login()
    numbers = [desk.issue(*HOLDERS[0])]
    click(desk.button('Issue another', desk.page))
    numbers.append(desk.issue(*HOLDERS[1]))
    card_a = numbers[0].replace(' ', '')
    logout(desk)

    desk.login(AUDITOR)
    desk.go_to('Audit log')
    wait_rows(desk, '1 = 1', whole=False)

    # The filters: an action from the list, then a card number typed,
    # then the action back to any: each time the rows of the database.
    choose(desk, 'Action', 'Start issuing a card')
    _, want, shown = wait_rows(desk, "action = 'issue'")
    assert len(want) == 2 and {r[8] for r in want} == {n.replace(' ', '') for n in numbers}, want
    assert all(r[3] == 'Start issuing a card' for r in shown), shown
    type_into(find(desk.page, 'text', 'Card number'), card_a)
    wait_rows(desk, "action = 'issue' AND card_number = ?", (card_a,))
    choose(desk, 'Action', 'Any action')
    _, card_rows, shown = wait_rows(desk, 'card_number = ?', (card_a,))
    assert [r[6] for r in card_rows] == ['issue-finish', 'issue'], card_rows
    assert all(r[5].startswith(card_a) for r in shown), shown

    # Verify with the auditor's card in R1: intact through the newest
    # row, sealed through the last seal (the issuing administrator's
    # logout), as the database has them.
    newest = desk.query('SELECT max(seq) FROM audit_log')[0][0]
    said = verify(desk, r'^The log is intact through row')
    log('verdict: %s' % said)
    m = re.match(r'The log is intact through row (\d+) and sealed through row (\d+)\.', said)
    assert m, said
    n, sealed = int(m.group(1)), int(m.group(2))
    last_seal = desk.query('SELECT max(seq) FROM audit_seal WHERE seq <= ?', n)[0][0]
    assert (n, sealed) == (newest, last_seal), (said, newest, last_seal)
    assert desk.query("SELECT action FROM audit_log WHERE seq = ?", sealed) == [('seal',)]
    assert 'rows 1 to %d are proven' % sealed in said, said
    # The check is in the log, after the rows it checked.
    assert desk.query('SELECT action, outcome FROM audit_log WHERE seq = ?', n + 1) == \
        [('verify', 'ok')]

    # The rows shown, exported: as CSV (the same rows as the database
    # has, oldest first, field for field) and as a PDF report.
    out = os.path.join(desk.data, 'out')
    os.makedirs(out)
    csv_path = os.path.join(out, 'card-a.csv')
    desk.save_as('Export CSV…', 'Export the Rows as CSV', csv_path)
    desk.wait_message(r'^%d rows were saved to %s\.$' % (len(card_rows), re.escape(csv_path)))
    with open(csv_path, encoding='utf-8-sig', newline='') as f:
        got = list(csv.reader(f))
    assert got[0] == [c.strip() for c in COLUMNS.split(',')], got[0]
    want = [[str(v) for v in r] for r in reversed(card_rows)]
    assert got[1:] == want, (got, want)
    log('CSV: %d rows, as the database has them' % (len(got) - 1))

    pdf_path = os.path.join(out, 'card-a.pdf')
    head = desk.query('SELECT seq, hex(hash) FROM audit_log ORDER BY seq DESC LIMIT 1')[0]
    desk.save_as('PDF report…', 'Save the Report as PDF', pdf_path)
    desk.wait_message(r'^The report of %d rows was saved to %s\.$' %
                      (len(card_rows), re.escape(pdf_path)))
    with open(pdf_path, 'rb') as f:
        assert f.read(5) == b'%PDF-', 'not a PDF: %s' % pdf_path
    if shutil.which('pdftotext'):
        text = ' '.join(subprocess.run(['pdftotext', '-layout', pdf_path, '-'], check=True,
                                       capture_output=True, text=True).stdout.split())
        for want_text in ('Audit log report', 'Only rows with card number %s.' % card_a,
                          '%d rows: %d ok, 0 refused, 0 failed.' % (len(card_rows),
                                                                   len(card_rows)),
                          'Chain head: row %d, SHA-256 %s' % (head[0], head[1].lower()),
                          'through row %d' % sealed):
            assert want_text in text, (want_text, text)
        log('PDF: the filter, the totals and chain head row %d' % head[0])
    else:
        log('PDF: no pdftotext (poppler-utils) to read it with')

    # One row altered in the file while the app runs: the holder of
    # card A's issuance.  The append-only trigger is dropped for it and
    # put back, as whoever changes the file would.
    row = card_rows[-1][0]  # its "Start issuing a card"
    con = sqlite3.connect(desk.db_path, timeout=30, isolation_level=None)
    try:
        trigger = con.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                              "AND name = 'audit_log_no_update'").fetchone()[0]
        con.execute('BEGIN IMMEDIATE')
        con.execute('DROP TRIGGER audit_log_no_update')
        con.execute('UPDATE audit_log SET holder_id = ? WHERE seq = ?', (HOLDERS[1][1], row))
        con.execute(trigger)
        con.execute('COMMIT')
    finally:
        con.close()
    log('altered row %d in %s' % (row, desk.db_path))

    said = verify(desk, r'^Row \d+ was altered')
    log('verdict: %s' % said)
    assert said.startswith('Row %d was altered: it no longer matches its hash' % row), said
    assert 'guards' not in said, said  # the trigger is back: only the chain tells
    # The row named is selected: its detail is shown beside the list.
    until(lambda: desk.value('Row') == str(row), 'row %d selected (the detail shows %s)' %
          (row, desk.value('Row')))
    assert desk.value('Holder ID') == HOLDERS[1][1], desk.value('Holder ID')
    assert desk.query("SELECT outcome FROM audit_log WHERE action = 'verify' "
                      "ORDER BY seq DESC LIMIT 1") == [('refused',)]


run(test)
