# SPDX-License-Identifier: GPL-3.0-or-later
"""i. The main task by keyboard alone: with the demo issuing
administrator's card in R1 and the training stock's blank in R2, a clerk
logs in (Ctrl+L, the PIN, Enter), goes to the Issue card page (F6 to the
sidebar, the arrow keys, Tab into the page), fills ID number and Name by
their mnemonics, issues with Enter, and reads the card back on the Read
card page by its button's mnemonic.  After the cards are put in, no
click and no accessible action: AT-SPI only looks (names, texts, the
focused state); every step is a key."""
import re
import time

from dogtail import rawinput

import insucard_e2e as e2e
from insucard_e2e import ISSUING_ADMIN, DEMO_PIN, absent, find, find_all, id_number, log, run, \
    until

HOLDER = '李娜'
ID = id_number('44030519850620006')


def focused(root):
    """The widget under root that has the keyboard focus, or None."""
    return next(iter(root.findChildren(lambda n: n.focused)), None)


def key(combo):
    """One key (or combination) pressed, then a moment for the app."""
    if combo.startswith('<'):
        rawinput.keyCombo(combo)
    else:
        rawinput.pressKey(combo)
    time.sleep(0.2)


def where(desk):
    """What has the focus, as (role, name), to see a key move it."""
    node = focused(desk.window)
    return (node.roleName, node.name) if node is not None else None


def focus_in(desk, part):
    """Whether the focus is in part (a panel of the window), by its
    ancestors."""
    node = focused(desk.window)
    while node is not None and node.roleName != 'frame':
        if node.name == part and node.roleName == 'panel':
            return True
        node = node.parent
    return False


def pages(desk):
    """The titles of the sidebar's pages, in order, and the one chosen."""
    titles, chosen = [], None
    for item in find_all(desk.sidebar, 'list item'):
        title = ' '.join(t for t in e2e.labels(item) if t)
        titles.append(title)
        if item.selected:
            chosen = title
    return titles, chosen


def press_and_see(combo, look, what):
    """Presses combo and waits until look() says something else: one key
    at a time, each seen done before the next (a loaded desk may take a
    moment, and a second key pressed blind could overshoot)."""
    before = look()
    key(combo)
    until(lambda: look() != before, '%s (%s)' % (what, combo))


def to_page(desk, title, heading):
    """F6 until the focus is in the sidebar; the arrow keys until title
    is chosen; Tab into the page, which shows its heading."""
    for _ in range(8):  # the window has six parts
        if focus_in(desk, 'Pages'):
            break
        press_and_see('F6', lambda: where(desk), 'the focus to move to the next part')
    assert focus_in(desk, 'Pages'), 'F6 does not reach the sidebar (the focus is on %s)' % (
        where(desk),)
    titles, chosen = pages(desk)
    assert title in titles, titles
    while chosen != title:
        arrow = 'Down' if titles.index(title) > titles.index(chosen) else 'Up'
        press_and_see(arrow, lambda: pages(desk)[1], 'the next page chosen')
        chosen = pages(desk)[1]
        assert focus_in(desk, 'Pages'), where(desk)
    key('Tab')
    until(lambda: focus_in(desk, 'Page'), 'the focus in the page “%s” (Tab)' % title)
    assert pages(desk)[1] == title, pages(desk)
    find(desk.page, 'label', text=heading)
    log('on the page %s by keyboard (%s)' % (title, where(desk)))


def test(desk):
    # The one step by hand: the administrator's card in R1 (the stock
    # leaves it there; a blank insurance card is in R2).
    if ISSUING_ADMIN not in desk.reader_text('R1'):
        desk.put(re.escape('Administrator card (%s)' % ISSUING_ADMIN), 'R1')
        desk.until_reader('R1', ISSUING_ADMIN)
    desk.until_reader('R2', 'Blank insurance card')
    # No window manager: the keyboard goes to the window under the pointer.
    e2e.point_at(desk.window)
    time.sleep(0.3)

    # Log in: Ctrl+L asks for the PIN; the PIN dialog has the focus.
    key('<Control>l')
    dialog = desk.pin_dialog()
    entry = find(dialog, 'password text', 'Your PIN')
    until(lambda: entry.focused, 'the focus in the PIN entry')
    rawinput.typeText(DEMO_PIN)
    until(lambda: entry.text == '●' * len(DEMO_PIN), 'the PIN typed')
    key('Return')
    absent(desk.app, None, 'Your PIN', what='PIN dialog')
    find(desk.window, 'push button', 'Log out')
    desk.task_idle()
    log('logged in by keyboard')

    to_page(desk, 'Issue card', 'Issue a card')
    # Tab put the focus in ID number: Name first, then back to ID number,
    # so that each mnemonic is seen to move the focus.
    fields = [('<Alt>n', desk.field('Name'), HOLDER), ('<Alt>d', desk.field('ID number'), ID)]
    for combo, field, text in fields:
        assert not field.focused, where(desk)
        key(combo)
        until(lambda: field.focused, 'the focus in %s (%s)' % (field.name, combo))
        rawinput.typeText(text)
        until(lambda: field.text == text, '“%s” typed into %s (it holds “%s”)' %
              (text, field.name, field.text))
    # Enter in a field issues (the Issue card button is the default).
    key('Return')
    number = desk.value('Card number', timeout=90)
    assert re.fullmatch(r'\d{4} \d{4} \d{2}', number), number
    desk.task_idle()
    log('issued card %s by keyboard' % number)
    assert desk.value('Holder') == '%s (%s)' % (HOLDER, ID), desk.value('Holder')
    assert desk.card_row(number) == ('issued', ID, HOLDER), desk.card_row(number)

    to_page(desk, 'Read card', 'Read a card')
    key('<Alt>r')
    desk.task_idle(60)

    def banner():
        for role in ('info bar', 'alert'):
            for bar in find_all(desk.page, role):
                text = ' '.join(t for t in e2e.labels(bar) if t)
                if text:
                    return text
        return None

    said = until(banner, 'the banner of the card read (Alt+R)', 60)
    assert said == 'The card checks and is in use.', said
    assert desk.value('Card number') == number
    assert desk.value('Name') == HOLDER, desk.value('Name')
    assert ('read', 'ok') in desk.audit_actions(number), desk.audit_actions(number)
    log('read back by keyboard: %s' % said)


run(test)
