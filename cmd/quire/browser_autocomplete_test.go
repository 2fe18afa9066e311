package main

// Tag autocomplete in a real browser: a logged-out reader types part of a
// tag name into the listing sidebar's "Other tags to include" field, gets
// suggestions from the autocomplete API (most used first, none that only a
// draft or a restricted work carries), picks one with the keyboard, filters,
// and sees the filtered listing; on a phone, a tap picks a tag to exclude.
// It uses the same once-built binary, server starter, tabs and page checks
// as browser_test.go, so JavaScript errors, CSP reports and failed requests
// fail it.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// pressEnter presses Enter as a keyboard does: one keyDown that carries the
// text, so a handler that cancels the keydown also cancels the keypress
// (and with it the form's implicit submission). chromedp.KeyEvent sends the
// character as an event of its own, which no handler can cancel.
func (b *tab) pressEnter() {
	b.t.Helper()
	b.do(chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: "Enter", Code: "Enter",
			WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13, Text: "\r", UnmodifiedText: "\r"}
		if _, err := cdp.Call(ctx, tt, input.DispatchKeyEvent, down); err != nil {
			return err
		}
		up := down
		up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
		_, err := cdp.Call(ctx, tt, input.DispatchKeyEvent, up)
		return err
	}))
}

// waitJS polls the boolean expression until it is true, or fails with what.
func (b *tab) waitJS(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(browserStepTimeout)
	for !evalJS[bool](b, expr) {
		if time.Now().After(deadline) {
			b.fatalf("waited %v for %s (%s)", browserStepTimeout, what, expr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// comboState is what the test reads from a combobox and its listbox.
type comboState struct {
	Role       string   `json:"role"`
	Expanded   string   `json:"expanded"`
	Controls   string   `json:"controls"`
	Active     string   `json:"active"`
	ListRole   string   `json:"listRole"`
	ListHidden bool     `json:"listHidden"`
	Options    []string `json:"options"`
	Selected   []string `json:"selected"` // ids of options with aria-selected=true
	Status     string   `json:"status"`
	Value      string   `json:"value"`
}

func (b *tab) combo(sel string) comboState {
	b.t.Helper()
	return evalJS[comboState](b, fmt.Sprintf(`(() => {
  const i = document.querySelector(%q);
  const l = document.getElementById(i.getAttribute('aria-controls') || '');
  const opts = l ? [...l.querySelectorAll('[role=option]')] : [];
  return {role: i.getAttribute('role') || '', expanded: i.getAttribute('aria-expanded') || '',
    controls: i.getAttribute('aria-controls') || '', active: i.getAttribute('aria-activedescendant') || '',
    listRole: l ? l.getAttribute('role') : '', listHidden: l ? l.hidden : true,
    options: opts.map(o => o.querySelector('.ac-name').textContent),
    selected: opts.filter(o => o.getAttribute('aria-selected') === 'true').map(o => o.id),
    status: document.getElementById('ac-status')?.textContent || '', value: i.value};
})()`, sel))
}

// waitOptions waits until the listbox of the combobox sel shows options.
func (b *tab) waitOptions(sel string) comboState {
	b.t.Helper()
	b.waitJS("suggestions under "+sel, fmt.Sprintf(`(() => {
  const i = document.querySelector(%q), l = document.getElementById(i.getAttribute('aria-controls') || '');
  return !!l && !l.hidden && l.querySelectorAll('[role=option]').length > 0;
})()`, sel))
	return b.combo(sel)
}

func TestBrowserTagAutocomplete(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	data := t.TempDir()
	token := addWriterForCLI(t, data, "beaconwright", "beaconwright@example.org")
	base := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--login-rate-limit", "0").URL

	// "Lighthouse Keepers" is on two works, "Lighthouse Ghosts" on one; a
	// draft and a restricted work carry tags an anonymous reader must never
	// be offered.
	post := func(title string, freeforms []string, extra map[string]any) {
		body := map[string]any{
			"title": title, "rating": "General Audiences", "warnings": []string{"No Archive Warnings Apply"},
			"fandoms": []string{"Original Work"}, "freeforms": freeforms,
			"chapters": []map[string]any{{"title": "One", "body": "<p>The lamp turned all night over " + title + ".</p>"}},
		}
		for k, v := range extra {
			body[k] = v
		}
		var out struct {
			ID int64 `json:"id"`
		}
		postJSONForCommunity(t, base+"/api/v1/works", token, body, &out)
	}
	post("The Keeper of Skerry Light", []string{"Lighthouse Keepers", "Storms"}, nil)
	post("Two Keepers and a Lamp", []string{"Lighthouse Keepers"}, nil)
	post("What the Ghost Saw", []string{"Lighthouse Ghosts"}, nil)
	post("An Unfinished Draft", []string{"Lighthouse Secrets"}, map[string]any{"draft": true})
	post("For Members Only", []string{"Lighthouse Members"}, map[string]any{"restricted": true})

	browserCtx, probs := startBrowser(t, chromium, start)

	const include = "#f-tag"
	r := newTab(t, browserCtx, "reader", base, probs, true)
	r.open("/works")
	if n := r.count("ol.work.index > li"); n != 3 {
		r.fatalf("the listing shows %d works to an anonymous reader, want 3", n)
	}
	c := r.combo(include)
	if c.Role != "combobox" || c.Expanded != "false" || c.ListRole != "listbox" || !c.ListHidden {
		r.fatalf("the include field is not a closed combobox: %+v", c)
	}

	r.typeInto(include, "lighth")
	c = r.waitOptions(include)
	if want := []string{"Lighthouse Keepers", "Lighthouse Ghosts"}; strings.Join(c.Options, "|") != strings.Join(want, "|") {
		r.fatalf("suggestions %q, want %q (most used first, nothing from the draft or the restricted work)", c.Options, want)
	}
	if c.Expanded != "true" || c.Active != "" || !strings.Contains(c.Status, "2 tags suggested") {
		r.fatalf("with the list open: %+v", c)
	}
	r.checkPage() // the open list: contrast, no sideways scrolling
	r.screenshot("desktop-autocomplete.png", false)

	// Escape closes; ArrowDown opens again.
	r.do(chromedp.KeyEvent(kb.Escape))
	if c = r.combo(include); c.Expanded != "false" || !c.ListHidden || c.Value != "lighth" {
		r.fatalf("Escape did not close the list (or changed the field): %+v", c)
	}
	r.do(chromedp.KeyEvent(kb.ArrowDown))
	r.waitOptions(include)

	// ArrowDown twice highlights the second suggestion; Enter takes it
	// without submitting the form.
	r.do(chromedp.KeyEvent(kb.ArrowDown))
	r.do(chromedp.KeyEvent(kb.ArrowDown))
	c = r.combo(include)
	if c.Active == "" || len(c.Selected) != 1 || c.Selected[0] != c.Active {
		r.fatalf("aria-activedescendant %q does not name the one selected option %q", c.Active, c.Selected)
	}
	if got := r.text("#" + c.Active + " .ac-name"); got != "Lighthouse Ghosts" {
		r.fatalf("two ArrowDowns highlight %q, want Lighthouse Ghosts", got)
	}
	r.pressEnter()
	time.Sleep(300 * time.Millisecond) // time for a submission, were there one
	r.wantPath(`/works`)
	c = r.combo(include)
	if c.Value != "Lighthouse Ghosts, " || c.Expanded != "false" || c.Active != "" {
		r.fatalf("after Enter: %+v, want the field to hold the tag and the list closed", c)
	}

	r.follow(`aside.filters form button[type=submit]`)
	r.wantPath(`/works\?(.*&)?tag=Lighthouse\+Ghosts.*`)
	r.wantText("#results-heading", "1 work")
	r.wantText("ol.work.index", "What the Ghost Saw")
	if got := r.combo(include).Value; got != "Lighthouse Ghosts," && got != "Lighthouse Ghosts, " {
		r.fatalf("the filtered page's include field holds %q", got)
	}

	// A second tag in the same field: only the token at the caret is
	// looked up, and the tag already named is not offered again.
	r.open("/works?tag=" + "Lighthouse+Ghosts%2C+")
	evalJS[bool](r, `(() => { const i = document.querySelector('#f-tag'); i.focus(); i.setSelectionRange(i.value.length, i.value.length); return true; })()`)
	r.do(chromedp.KeyEvent("lighthouse"))
	c = r.waitOptions(include)
	if strings.Join(c.Options, "|") != "Lighthouse Keepers" {
		r.fatalf("second token: suggestions %q, want only Lighthouse Keepers", c.Options)
	}
	r.do(chromedp.KeyEvent(kb.ArrowDown))
	r.do(chromedp.KeyEvent("\t")) // Tab accepts too, and moves on
	if c = r.combo(include); c.Value != "Lighthouse Ghosts, Lighthouse Keepers, " || !c.ListHidden {
		r.fatalf("after Tab: %+v", c)
	}

	// A phone: a tap on a suggestion fills the exclude field.
	const exclude = "#f-xtag"
	p := newTab(t, browserCtx, "phone", base, probs, true)
	p.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	p.open("/works")
	// On a phone the filters fold behind "Filters", results first.
	p.do(chromedp.Click(chromedp.CSS("details.filter-panel > summary"), chromedp.NodeVisible))
	p.typeInto(exclude, "keep")
	c = p.waitOptions(exclude)
	if len(c.Options) == 0 || c.Options[0] != "Lighthouse Keepers" {
		p.fatalf("phone: suggestions %q, want Lighthouse Keepers first", c.Options)
	}
	p.checkPage() // the open list fits the phone's width
	p.do(chromedp.KeyEvent(kb.ArrowDown))
	p.screenshot("phone-autocomplete.png", false)
	p.do(chromedp.Click(chromedp.CSS("#"+c.Controls+" [role=option]:first-child"), chromedp.NodeVisible))
	if c = p.combo(exclude); c.Value != "Lighthouse Keepers, " || !c.ListHidden {
		p.fatalf("phone: after the tap: %+v", c)
	}
	p.follow(`aside.filters form button[type=submit]`)
	p.wantText("#results-heading", "1 work")
	p.wantText("ol.work.index", "What the Ghost Saw")
}
