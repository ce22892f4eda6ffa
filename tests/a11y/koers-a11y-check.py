#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a screen reader hears, screen by screen, through AT-SPI.

    koers-a11y-check.py DRIVER [--enforce SCREEN,...] [--enforce-secrets SCREEN,...] [--list]
                               [--orca LOG]

Runs DRIVER (koers-screenshots) with --serve-accessible: it stops at every
screen of the screenshots and waits while this script walks the app's
AT-SPI tree as Orca would (over the accessibility bus, from another
process), then tells it to go on. On each screen every shown object that
takes the focus or is a control by its role is checked:

  - its name is not empty, not doubled ("Passphrase Passphrase"), holds no
    mnemonic underscore ("_Unlock"), no toolkit class name ("GtkImage")
    and not GTK's "(None)" of a drop-down;
  - a choice (combo box) says its value in its name or description;
  - no text an AT-SPI client can read, nor any name or description, holds a
    passphrase or recovery key typed on the screen.

The keyboard focus (in the active window) must be on a well named
control, never a scroll pane. Some screens must have been told something
on the way to them, as an event a screen reader speaks from (SAID: the
search's result count, "Saved").

On the unlock screen it plays a volunteer who mistypes: the passphrase
typed with key events, then Enter; the error must
reach the listener as an event (a shown alert or a name or description
change), the field must be empty and unselected afterwards.

On the last screen ("play": the demo vault, locked) it plays the start of
a consultation hour with key events only (no mouse, no AT-SPI action,
nothing called in the app): a wrong passphrase, then the right one; Ctrl+F
and part of a demo client's name, the result count heard; Enter opens the
file, its name heard as the focus lands; Ctrl+Shift+N, a note typed,
Ctrl+S, "Saved" heard; Alt+Left back to the file, where the note must be
read in the history. The driver then counts that note in the store
("play-stored N").

It prints per screen "actionable / badly named" counts. Problems fail the
run only on the screens named by --enforce (the others are reported).
Passphrases readable fail the screens named by --enforce-secrets ("all":
every screen; our KoersSecretEntry exposes no text, whereas
GTK 4.8 gives any AT-SPI client the text of its own password fields
(docs/app.md)).
With --orca LOG (by hand, not in CI: slow, and Orca is not a build
dependency) Orca 43 runs beside it with its debug output in LOG: every
utterance is a "SPEECH OUTPUT" line there, with or without a speech
server. What Orca said on the way to each screen is printed, and the run
fails if Orca said a passphrase, a toolkit class name or "(None)", or did
not say what the play must make it say. Orca's key echo spelling a typed
passphrase key by key is printed as a known limit (docs/app.md).

Needs a display (Xvfb), a session bus (dbus-run-session: the AT-SPI bus is
started from it) and openbox, which it starts and stops itself so that
windows get the active state.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings

# The app under test keeps G_DEBUG=fatal-warnings; this side does not:
# libatspi warns (and would abort) when an object goes away mid-walk.
APP_ENV = dict(os.environ)
os.environ.pop("G_DEBUG", None)

try:
    import gi

    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi, GLib

    # The *_iface getters are what libatspi 2.46's introspection offers.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
except (ImportError, ValueError) as e:  # pragma: no cover
    print(f"1..0 # SKIP no AT-SPI for Python ({e}): install python3-pyatspi")
    sys.exit(77)

# The secrets the driver and this script type (tests/ui/koers-screenshots.c).
PASSPHRASE = "rustig water heeft diepe gronden"
SECRETS = [PASSPHRASE, "rustig water heeft diepe grenzen", "verkeerd"]
WRONG = "guess one two"
SECRETS.append(WRONG)

# The play (tests/ui/koers-screenshots.c): a demo client found by part of
# the name, and the note typed for them.
PLAY_CLIENT = "Amadou Diallo"
PLAY_SEARCH = "diall"
PLAY_NOTE = "Wil weten wat terugkeer naar Guinee betekent"

# Groups of five letters and digits (koers-recovery-page.c shows them).
RECOVERY_KEY = re.compile(r"[a-z0-9]{5}([- ][a-z0-9]{5}){3,}")
MNEMONIC = re.compile(r"(?<![\w_])_(?=\w)")
CLASS_NAME = re.compile(r"\b(Gtk|Adw|Koers)[A-Z][a-z]")
CHOICE_ROLES = {Atspi.Role.COMBO_BOX}
ALERT_ROLES = {Atspi.Role.ALERT, Atspi.Role.NOTIFICATION, Atspi.Role.STATUS_BAR}
# What the unlock page says after a wrong passphrase (koers-window.c).
ERROR_WORDS = ["does not open the vault"]
TEXT_ROLES = {Atspi.Role.ENTRY, Atspi.Role.PASSWORD_TEXT, Atspi.Role.TEXT}
CONTROL_ROLES = CHOICE_ROLES | TEXT_ROLES | {
    Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.CHECK_BOX,
    Atspi.Role.RADIO_BUTTON, Atspi.Role.SPIN_BUTTON, Atspi.Role.SLIDER,
    Atspi.Role.LINK, Atspi.Role.MENU_ITEM}


def pump(seconds):
    """Runs this side's main loop (AT-SPI events come in through it)."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.pending():
            context.iteration(False)
        time.sleep(0.02)


def states(obj):
    return obj.get_state_set()


def is_shown(obj, depth):
    """A window that shows, or a visible object in it (GTK 4.8 sets
    "showing" on windows only)."""
    s = states(obj)
    if depth == 1:
        return s.contains(Atspi.StateType.SHOWING)
    return s.contains(Atspi.StateType.VISIBLE)


def is_actionable(obj):
    """Takes the focus, or is a control by its role. (Not "has an Action
    interface": GTK 4.8 gives one to every widget with actions, and leaks
    the list of their names on every call to it, which LeakSanitizer
    reports in the app; docs/app.md.)"""
    if states(obj).contains(Atspi.StateType.FOCUSABLE):
        return True
    return obj.get_role() in CONTROL_ROLES


def text_of(obj):
    text = obj.get_text_iface()
    if text is None:
        return None
    try:
        return text.get_text(0, text.get_character_count())
    except GLib.Error:
        return None


def walk(obj, depth=0):
    """Every shown object below @obj (the app: each of its windows)."""
    if obj is None or depth > 80:
        return
    try:
        shown = depth == 0 or is_shown(obj, depth)
    except GLib.Error:
        return
    if not shown:
        return
    yield obj
    for i in range(obj.get_child_count()):
        try:
            child = obj.get_child_at_index(i)
        except GLib.Error:
            continue
        yield from walk(child, depth + 1)


def describe(obj):
    return f"{obj.get_role_name()} \"{obj.get_name()}\""


def doubled(name):
    """"Passphrase Passphrase", or a name that ends as it begins (a label
    followed by the same labelled-by: "Passphrase, 5 characters
    Passphrase")."""
    words = [w.strip(",.:;") for w in name.lower().split()]
    half = len(words) // 2
    if len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return True
    return len(words) >= 3 and any(words[:k] == words[-k:] for k in range(1, half + 1))


def shown_texts(obj):
    """What a choice shows of its value: the text below it."""
    found = []
    for o in walk(obj):
        if o is obj:
            continue
        label = o.get_name() if o.get_role() == Atspi.Role.LABEL else None
        if label:
            found.append(label)
        t = text_of(o)
        if t:
            found.append(t)
    return found


def choice_value(obj):
    """The value of a combo box: its selected child's name, else the
    label it shows after its title."""
    selection = obj.get_selection_iface()
    if selection is not None and selection.get_n_selected_children() > 0:
        return selection.get_selected_child(0).get_name()
    texts = [t for t in shown_texts(obj) if t.strip() and t.strip() not in (obj.get_name() or "")]
    return texts[-1] if texts else None


def name_problems(obj):
    name = (obj.get_name() or "").strip()
    description = (obj.get_description() or "").strip()
    problems = []
    if not name:
        problems.append("no name")
    if name and doubled(name):
        problems.append("doubled name")
    if MNEMONIC.search(name):
        problems.append("mnemonic underscore in the name")
    if CLASS_NAME.search(name) or CLASS_NAME.search(description):
        problems.append("a class name in the name")
    if "(None)" in name:
        # The text of GTK 4.8's drop-down button when nothing is chosen
        # (gtkdropdown.ui), taken as a name.
        problems.append("GTK's \"(None)\" in the name")
    if obj.get_role() in CHOICE_ROLES:
        value = choice_value(obj)
        if value and value not in name and value not in description:
            problems.append(f"choice without its value \"{value}\"")
    return problems


def squeeze(text):
    return " ".join(text.lower().split())


def learn_recovery_key(app):
    """The key the recovery-key screen shows (by design): from then on it is
    a secret like a passphrase, typed in lower case on unlock-recovery."""
    key = find(app, lambda o: o.get_role() == Atspi.Role.LABEL
               and RECOVERY_KEY.fullmatch(squeeze(text_of(o) or "")) is not None)
    if key is None:
        print("# the recovery-key screen shows no key")
        return
    text = squeeze(text_of(key))
    SECRETS.append(text)
    SECRETS.append(text.replace("-", " "))


def secret_problems(obj):
    """A passphrase or recovery key an AT-SPI client can read here."""
    problems = []
    for where, value in (("text", text_of(obj)), ("name", obj.get_name()),
                         ("description", obj.get_description())):
        if value and any(squeeze(s) in squeeze(value) for s in SECRETS):
            problems.append(f"passphrase readable in its {where}")
    if obj.get_role() == Atspi.Role.PASSWORD_TEXT:
        value = text_of(obj)
        if value and value.strip("•●*\u2022\u25cf") != "":
            problems.append("password text readable")
    return problems


class Screen:
    def __init__(self, name):
        self.name = name
        self.actionable = 0
        self.bad = 0
        self.problems = []   # names, choices, announcements, the focus
        self.secrets = []    # passphrases an AT-SPI client can read
        self.focus = None    # what has the keyboard focus


# What a screen must have said (as an event a screen reader speaks from)
# on the way from the screen before it: the driver saves, searches.
SAID = {
    "clients-search": re.compile(r"^\d+ clients?$"),
    "conversation-saved": re.compile(r"^Saved$"),
}


def focus_problems(obj):
    """The focus lands on a control a listener understands: named well,
    never a scroll pane (GTK 4.8 reads one by nothing or its class)."""
    problems = [f"the focus is on {describe(obj)}: {p}" for p in name_problems(obj)]
    if obj.get_role() == Atspi.Role.SCROLL_PANE:
        problems.append(f"the focus is on a scroll pane, {describe(obj)}")
    return problems


def check_screen(app, name, secrets=True):
    """@secrets: look for passphrases (not on a screen that shows the
    recovery key on purpose)."""
    screen = Screen(name)
    for obj in walk(app):
        try:
            secret = secret_problems(obj) if secrets else []
            actionable = is_actionable(obj)
            named = name_problems(obj) if actionable else []
        except GLib.Error:
            continue
        for p in secret:
            screen.secrets.append(f"{describe(obj)}: {p}")
        if actionable:
            screen.actionable += 1
            if named or secret:
                screen.bad += 1
            for p in named:
                screen.problems.append(f"{describe(obj)}: {p}")
    focus = focused(app)
    if focus is not None:
        screen.focus = describe(focus)
        screen.problems += focus_problems(focus)
    return screen


def focused(app):
    """What has the keyboard focus: in the active window (openbox sets
    it), else in any."""
    windows = [app.get_child_at_index(i) for i in range(app.get_child_count())]
    active = [w for w in windows if w is not None and states(w).contains(Atspi.StateType.ACTIVE)]
    for window in active or windows:
        for obj in walk(window, depth=1):
            try:
                if obj is not window and states(obj).contains(Atspi.StateType.FOCUSED):
                    return obj
            except GLib.Error:
                pass
    return None


def find_app(pid, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except GLib.Error:
                pass
        pump(0.2)
    return None


def find(app, predicate):
    for obj in walk(app):
        try:
            if predicate(obj):
                return obj
        except GLib.Error:
            pass
    return None


class Heard:
    """Events a screen reader would speak from: alerts shown, names and
    descriptions changed, status text changed."""

    KINDS = ["object:state-changed:showing",
             "object:property-change:accessible-name",
             "object:property-change:accessible-description",
             "object:text-changed:insert",
             "object:announcement",
             "object:state-changed:focused",
             "window:activate"]

    def __init__(self):
        self.events = []
        self.listener = Atspi.EventListener.new(self._on_event)
        for kind in self.KINDS:
            self.listener.register(kind)

    def _on_event(self, event):
        try:
            role = event.source.get_role()
            name = event.source.get_name() or ""
            text = text_of(event.source) or ""
        except GLib.Error:
            role, name, text = None, "", ""
        self.events.append((event.type, event.detail1, role, name, text,
                            event.any_data if isinstance(event.any_data, str) else ""))

    def clear(self):
        self.events.clear()

    def saying(self, pattern):
        """The events that would speak @pattern: a name or description
        changed to it (the focused control's, koers_a11y_announce), or the
        text of a shown alert."""
        return [e for e in self.events
                if any(pattern.search(str(x).strip()) for x in (e[3], e[4], e[5]))
                and (e[0].startswith("object:property-change") or e[2] in ALERT_ROLES)]

    def saying_error(self):
        """The events that carry the unlock error to a listener: its words
        as a new name or description, or as the text of a shown alert."""
        return [e for e in self.events
                if any(w in str(x).lower() for w in ERROR_WORDS for x in (e[3], e[4], e[5]))
                and (e[0].startswith("object:property-change") or e[2] in ALERT_ROLES)]

    def close(self):
        for kind in self.KINDS:
            self.listener.deregister(kind)


def type_keys(text):
    Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)


RETURN = 0xff0d
LEFT = 0xff51
CONTROL = Atspi.ModifierType.CONTROL
SHIFT = Atspi.ModifierType.SHIFT
ALT = Atspi.ModifierType.ALT


def press_key(keysym, *modifiers):
    """@keysym with @modifiers held (locked around it: what at-spi2-core
    offers for a shortcut)."""
    mask = 0
    for modifier in modifiers:
        mask |= 1 << int(modifier)
    if mask:
        Atspi.generate_keyboard_event(mask, None, Atspi.KeySynthType.LOCKMODIFIERS)
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
    if mask:
        Atspi.generate_keyboard_event(mask, None, Atspi.KeySynthType.UNLOCKMODIFIERS)


def play_wrong_passphrase(app, heard):
    """A wrong passphrase, typed and submitted as a blind volunteer would."""
    problems = []
    field = find(app, lambda o: o.get_role() in TEXT_ROLES
                 and (o.get_name() or "").lower().startswith("passphrase"))
    button = find(app, lambda o: o.get_role() == Atspi.Role.PUSH_BUTTON
                  and (o.get_name() or "").replace("_", "") == "Unlock")
    if field is None or button is None:
        return ["the passphrase field or the Unlock button is not there by its name"], []
    if not states(field).contains(Atspi.StateType.FOCUSED):
        component = field.get_component_iface()
        try:
            component.grab_focus()
        except GLib.Error:  # GTK 4.8 does not implement GrabFocus
            pass
        pump(0.5)
    if not states(field).contains(Atspi.StateType.FOCUSED):
        # GTK 4.8 gives the focused state to the row's inner text, which it
        # does not expose: a known limit (docs/app.md), not counted.
        print(f"# unlock: {describe(field)} does not report the focus")
    type_keys(WRONG)
    pump(1.0)
    heard.clear()
    typed = text_of(field) or ""
    secrets = []
    if WRONG in typed:
        secrets.append(f"{describe(field)}: the typed passphrase is readable as its text")
    # Enter in the field, as a volunteer would (the AT-SPI action of the
    # button works too, but GTK 4.8 leaks on every Action call).
    press_key(RETURN)
    end = time.monotonic() + 60
    while time.monotonic() < end and not heard.saying_error():
        pump(0.2)
    spoken = heard.saying_error()
    if not spoken:
        problems.append("the wrong passphrase was not reported by any event "
                        f"(heard: {sorted(set(e[0] for e in heard.events))})")
    else:
        print(f"# unlock: the error came as {sorted(set(e[0] for e in spoken))}")
    pump(0.5)
    left = text_of(field) or ""
    if left.strip("•●*\u2022\u25cf"):
        problems.append(f"{describe(field)}: not cleared after the failed unlock")
    text = field.get_text_iface()
    if text is not None and text.get_n_selections() > 0:
        problems.append(f"{describe(field)}: selected after the failed unlock")
    return problems, secrets


def wait_for(predicate, seconds=30):
    """Runs the loop until @predicate gives something (returned) or
    @seconds pass (None)."""
    end = time.monotonic() + seconds
    while True:
        try:
            found = predicate()
        except GLib.Error:
            found = None
        if found or time.monotonic() > end:
            return found
        pump(0.2)


def focus_named(app, role, name):
    """The focused object if it is a @role named @name."""
    focus = focused(app)
    if focus is not None and focus.get_role() == role and (focus.get_name() or "").strip() == name:
        return focus
    return None


def focus_heard(heard, name):
    """A focus event a screen reader speaks @name from."""
    return [e for e in heard.events
            if e[0] == "object:state-changed:focused" and e[1] == 1 and e[3].strip() == name]


class Play:
    """A volunteer at the start of an hour, with the keyboard only. Each
    step returns whether it got there; what went wrong is in problems."""

    def __init__(self, app, heard, pause=0.0):
        """@pause: seconds to wait after each step (for Orca, which
        speaks behind the events)."""
        self.app = app
        self.heard = heard
        self.pause = pause
        self.problems = []
        self.secrets = []

    def fail(self, message):
        self.problems.append(f"play: {message}")
        return False

    def unlock(self):
        problems, secrets = play_wrong_passphrase(self.app, self.heard)
        self.problems += [f"play: {p}" for p in problems]
        self.secrets += secrets
        self.heard.clear()
        type_keys(PASSPHRASE)
        pump(0.5)
        press_key(RETURN)
        # Unlocked: the unlock page is gone and the focus is in the
        # main view, on a control heard by its name.
        opened = wait_for(lambda: find(self.app, lambda o: o.get_role() == Atspi.Role.PAGE_TAB
                                       and o.get_name() == "Clients"), 60)
        if not opened:
            return self.fail("the right passphrase did not open the vault")
        focus = wait_for(lambda: focused(self.app), 10)
        if focus is None:
            return self.fail("no control has the focus after unlocking")
        spoken = [e for e in self.heard.events if e[0] == "object:state-changed:focused" and e[1] == 1]
        print(f"# play: unlocked, the focus on {describe(focus)}, "
              f"{len(spoken)} focus event(s) heard")
        if not spoken:
            return self.fail("no focus event after unlocking: nothing would be said")
        self.problems += [f"play: {p}" for p in focus_problems(focus)]
        return True

    def find_client(self):
        self.heard.clear()
        press_key(ord("f"), CONTROL)
        field = wait_for(lambda: focus_named(self.app, Atspi.Role.ENTRY, "Search clients"), 10)
        if field is None:
            return self.fail(f"Ctrl+F did not put the focus on the search (it is on "
                             f"{describe(focused(self.app)) if focused(self.app) else 'nothing'})")
        self.heard.clear()
        type_keys(PLAY_SEARCH)
        count = wait_for(lambda: self.heard.saying(re.compile(r"^1 client$")), 20)
        if not count:
            return self.fail(f"typing \"{PLAY_SEARCH}\" in the search said no \"1 client\" (heard: "
                             f"{sorted(set(e[5] or e[3] for e in self.heard.events))})")
        print(f"# play: the search said \"1 client\" as {sorted(set(e[0] for e in count))}")
        pump(self.pause)
        self.heard.clear()
        press_key(RETURN)
        heading = wait_for(lambda: focus_named(self.app, Atspi.Role.HEADING, PLAY_CLIENT), 20)
        if heading is None:
            return self.fail(f"Enter in the search did not open {PLAY_CLIENT}'s file by its name")
        if not wait_for(lambda: focus_heard(self.heard, PLAY_CLIENT), 5):
            return self.fail("the file opened without a focus event on its name")
        print(f"# play: the file opened, heard as {describe(heading)}")
        return True

    def add_note(self):
        self.heard.clear()
        press_key(ord("n"), CONTROL, SHIFT)
        notes = wait_for(lambda: focus_named(self.app, Atspi.Role.TEXT, "Notes"), 20)
        if notes is None:
            return self.fail("Ctrl+Shift+N did not put the focus on a new conversation's notes")
        type_keys(PLAY_NOTE)
        if not wait_for(lambda: PLAY_NOTE in (text_of(notes) or ""), 10):
            return self.fail("the note typed did not reach the notes")
        self.heard.clear()
        press_key(ord("s"), CONTROL)
        saved = wait_for(lambda: self.heard.saying(re.compile(r"^Saved$")), 30)
        if not saved:
            return self.fail("Ctrl+S said no \"Saved\"")
        print(f"# play: \"Saved\" heard as {sorted(set(e[0] for e in saved))}")
        return True

    def read_history(self):
        """Back in the file, the note is read in its history (the file is
        read again from the store)."""
        self.heard.clear()
        press_key(LEFT, ALT)
        if wait_for(lambda: focus_named(self.app, Atspi.Role.HEADING, PLAY_CLIENT), 20) is None:
            return self.fail("Alt+Left did not go back to the file")
        row = wait_for(lambda: find(self.app, lambda o: PLAY_NOTE in (o.get_description() or "")
                                    or PLAY_NOTE in (o.get_name() or "")), 20)
        if row is None:
            return self.fail("the saved note is not read in the file's history")
        print(f"# play: the history reads {describe(row)} [{row.get_description()}]")
        return True

    def run(self):
        for step in (self.unlock, self.find_client, self.add_note, self.read_history):
            ok = step()
            pump(self.pause)
            if not ok:
                break
        return self.problems, self.secrets


class Orca:
    """Orca 43 with its speech written to its debug file."""

    SPOKEN = re.compile(r"SPEECH OUTPUT: '(.*?)'")

    def __init__(self, log):
        self.log = log
        self.prefs = tempfile.mkdtemp(prefix="koers-orca-")
        # Its own configuration folder: not the app's test settings
        # (tests/ui/config), where PulseAudio would leave a file.
        env = dict(os.environ, XDG_CONFIG_HOME=self.prefs)
        self.process = subprocess.Popen(["orca", "--replace", "--debug-file", log, "-u", self.prefs],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        self.offset = 0
        self.said = []      # everything, in order
        pump(5.0)           # Orca registers its listeners

    def new_utterances(self):
        """What Orca said since the last call."""
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                f.seek(self.offset)
                text = f.read()
                self.offset = f.tell()
        except FileNotFoundError:
            return []
        said = [m.group(1) for m in self.SPOKEN.finditer(text) if m.group(1).strip()]
        self.said += said
        return said

    def spelled(self):
        """The passphrases Orca's key echo spelled out key by key. A known
        limit, not fixed: Orca keeps quiet only in a field of the password
        role, which GTK 4.8 gives to its own GtkPasswordEntry alone (whose
        text any AT-SPI client can read); docs/app.md."""
        keys = "".join(s.strip() for s in self.said if len(s.strip()) == 1)
        return [s for s in SECRETS if len(s) > 6 and s.replace(" ", "")[:8] in keys]

    def problems(self):
        """A passphrase said whole, a toolkit name said, the play unheard."""
        found = []
        for secret in SECRETS:
            if any(squeeze(secret) in squeeze(s) for s in self.said):
                found.append(f"Orca said a passphrase: \"{secret}\"")
        for s in self.said:
            if CLASS_NAME.search(s) or "(None)" in s:
                found.append(f"Orca said a toolkit name: \"{s}\"")
        everything = " | ".join(self.said)
        for expected in ("does not open the vault", "1 client", PLAY_CLIENT, "Saved"):
            if expected not in everything:
                found.append(f"Orca never said \"{expected}\"")
        return found

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.prefs, ignore_errors=True)


def start_window_manager():
    if shutil.which("openbox") is None:
        print("# no openbox: windows will not get the active state")
        return None
    wm = subprocess.Popen(["openbox", "--sm-disable"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return wm


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    driver = argv[1]
    enforce = set()
    if "--enforce" in argv:
        enforce = set(argv[argv.index("--enforce") + 1].split(","))
    enforce_secrets = set()
    if "--enforce-secrets" in argv:
        enforce_secrets = set(argv[argv.index("--enforce-secrets") + 1].split(","))
    # "all": every screen the driver shows (the passphrase fields are
    # KoersSecretEntry, which exposes no text).
    secrets_everywhere = "all" in enforce_secrets
    enforce_secrets.discard("all")
    listing = "--list" in argv
    orca_log = argv[argv.index("--orca") + 1] if "--orca" in argv else None
    if "DISPLAY" not in os.environ or "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
        print("1..0 # SKIP needs a display and a session bus")
        return 77

    Atspi.init()
    heard = Heard()
    wm = start_window_manager()
    orca = None
    if orca_log is not None:
        # Orca asks for screen coordinates, which GTK 4.8 does not have on
        # X11 and warns about at every call: fatal warnings would abort.
        APP_ENV.pop("G_DEBUG", None)
        orca = Orca(orca_log)
    child = subprocess.Popen([driver, "--serve-accessible"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, env=APP_ENV, text=True)
    screens = []
    failed = []
    app = None
    play = None
    stored = None
    try:
        for line in child.stdout:
            if line.startswith("play-stored "):
                stored = int(line.split()[1])
            if not line.startswith("screen "):
                continue
            name = line.split(" ", 1)[1].strip()
            if app is None:
                app = find_app(child.pid)
                if app is None:
                    print("Bail out! the app never showed up on the AT-SPI bus")
                    return 1
            pump(0.3)
            if name.endswith("recovery-key"):
                learn_recovery_key(app)
            screen = check_screen(app, name, secrets=not name.endswith("recovery-key"))
            if name in SAID and not heard.saying(SAID[name]):
                screen.problems.append(
                    f"nothing said \"{SAID[name].pattern}\" on the way here (heard: "
                    f"{sorted(set((e[0], e[5]) for e in heard.events if e[0].startswith('object:property')))})")
            if name == "unlock":
                problems, secrets = play_wrong_passphrase(app, heard)
                screen.problems += problems
                screen.secrets += secrets
            if name == "play":
                problems, secrets = Play(app, heard, pause=5.0 if orca else 0.0).run()
                screen.problems += problems
                screen.secrets += secrets
                play = screen
            screens.append(screen)
            enforced = name in enforce
            print(f"# {name}: {screen.actionable} actionable, {screen.bad} badly named, "
                  f"{len(screen.secrets)} passphrase readable"
                  f"{'' if enforced else ' (reported only)'}; focus on {screen.focus or 'nothing'}")
            for p in screen.problems:
                print(f"#   {p}")
            for p in screen.secrets:
                print(f"#   {p}{'' if secrets_everywhere or name in enforce_secrets else ' (reported only)'}")
            if listing:
                for obj in walk(app):
                    if is_actionable(obj):
                        print(f"#     {describe(obj)} [{obj.get_description() or ''}]")
            if (enforced and screen.problems) or ((secrets_everywhere or name in enforce_secrets) and screen.secrets):
                failed.append(name)
            if orca is not None:
                for said in orca.new_utterances():
                    print(f"# orca, on the way to and on {name}: {said}")
            heard.clear()
            child.stdin.write("next\n")
            child.stdin.flush()
        rc = child.wait(timeout=120)
        if play is not None and stored != 1:
            play.problems.append(f"play: the store holds the note {stored} times, not once")
            print(f"#   {play.problems[-1]}")
            if play.name in enforce and play.name not in failed:
                failed.append(play.name)
        if orca is not None:
            orca.new_utterances()
            for secret in orca.spelled():
                print(f"# orca (known limit, docs/app.md): key echo spelled \"{secret[:8]}…\" key by key")
            for p in orca.problems():
                print(f"# orca: {p}")
                failed.append("orca")
    finally:
        heard.close()
        if orca is not None:
            orca.stop()
        if child.poll() is None:
            child.kill()
            child.wait()
        if wm is not None:
            wm.send_signal(signal.SIGTERM)
            wm.wait()

    print(f"1..{len(screens) + 1}")
    for i, screen in enumerate(screens, 1):
        ok = screen.name not in failed
        note = "" if screen.name in enforce else " # reported only"
        print(f"{'ok' if ok else 'not ok'} {i} {screen.name}: {screen.actionable} actionable, "
              f"{screen.bad} badly named, {len(screen.secrets)} passphrase readable{note}")
    print(f"{'ok' if rc == 0 else 'not ok'} {len(screens) + 1} the driver exited with {rc}")
    missing = (enforce | enforce_secrets) - {s.name for s in screens}
    for name in sorted(missing):
        print(f"# enforced screen {name} was never shown")
    return 0 if rc == 0 and not failed and not missing else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
