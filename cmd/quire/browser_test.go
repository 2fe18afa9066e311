package main

// A real browser test: it builds the quire binary, starts "quire serve" on a
// free port with a fresh data directory, and drives Chromium through the
// pages as a writer and as a logged-out reader. Every page it visits must
// load with status 200, log no JavaScript error, exception, CSP violation or
// failed request, label every form control, and (on a phone) not scroll
// sideways.
//
// With QUIRE_SCREENSHOTS=1 it also writes docs/screenshots/desktop-work.png,
// desktop-works.png and phone-work.png.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/audits"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const (
	// browserStepTimeout bounds one navigation or one check: what finds a
	// hung step. The browser itself lives as long as the test may (go test
	// -timeout): a fixed budget for a whole test (it was 100 s) failed
	// long tests on a loaded machine with a bare "context deadline
	// exceeded" at whatever step was running when it ran out.
	browserStepTimeout = 15 * time.Second
)

// findChromium returns the path of a Chromium or Chrome binary, or skips.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("browser test skipped: no chromium, chromium-browser or google-chrome on PATH (apt-get install chromium; .ci/run installs it)")
	return ""
}

// problems collects what the browser reports that must not happen: script
// errors and exceptions, console errors, CSP violations, failed requests,
// error statuses and Chrome's own form issues.
type problems struct {
	mu   sync.Mutex
	list []string
	logf func(string, ...any)
}

func (p *problems) add(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if strings.Contains(msg, "/favicon.ico") {
		msg += " [every browser asks for /favicon.ico unless the page names an icon: serve one, or add <link rel=\"icon\" href=\"/static/…\"> to layout.html]"
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.list = append(p.list, msg)
}

func (p *problems) all() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.list...)
}

// listener returns the event func for one tab. It runs on the tab's read
// loop, so it only records.
func (p *problems) listener(tab string) func(ev any) {
	return func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text += " " + d.Exception.Description
			}
			p.add("%s: JavaScript exception at %s:%d: %s", tab, d.URL, d.LineNumber+1, text)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					if a.Value != nil {
						args = append(args, string(a.Value))
					} else {
						args = append(args, a.Description)
					}
				}
				p.add("%s: console.%s: %s", tab, ev.Type, strings.Join(args, " "))
			}
		case *log.EventEntryAdded:
			e := ev.Entry
			switch {
			case e.Level == log.EntryLevelError,
				e.Source == log.EntrySourceSecurity, e.Source == log.EntrySourceViolation:
				p.add("%s: browser log (%s, %s) %s: %s", tab, e.Source, e.Level, e.URL, e.Text)
			case e.Level == log.EntryLevelWarning:
				p.logf("%s: browser log warning (%s) %s: %s", tab, e.Source, e.URL, e.Text)
			}
		case *network.EventResponseReceived:
			if ev.Response.Status >= 400 {
				p.add("%s: %s %s answered %d", tab, ev.Type, ev.Response.URL, ev.Response.Status)
			}
		case *network.EventLoadingFailed:
			if !ev.Canceled {
				p.add("%s: %s request failed: %s %s", tab, ev.Type, ev.ErrorText, ev.BlockedReason)
			}
		case *audits.EventIssueAdded:
			if ev.Issue == nil {
				return
			}
			d := ev.Issue.Details
			switch {
			case d == nil:
				p.logf("%s: browser issue %s", tab, ev.Issue.Code)
			case d.ContentSecurityPolicyIssueDetails != nil:
				c := d.ContentSecurityPolicyIssueDetails
				p.add("%s: CSP violation (%s) of %s, blocked %s", tab, c.ContentSecurityPolicyViolationType, c.ViolatedDirective, c.BlockedURL)
			case d.GenericIssueDetails != nil && strings.HasPrefix(string(d.GenericIssueDetails.ErrorType), "Form"):
				g := d.GenericIssueDetails
				p.add("%s: form issue %s (node %d, attribute %q)", tab, g.ErrorType, g.ViolatingNodeID, g.ViolatingNodeAttribute)
			case d.MixedContentIssueDetails != nil:
				p.add("%s: mixed content: %s", tab, d.MixedContentIssueDetails.ResourceType)
			default:
				p.logf("%s: browser issue %s", tab, ev.Issue.Code)
			}
		}
	}
}

// tab is one browser tab with the checks the test runs on it.
type tab struct {
	t    *testing.T
	name string
	ctx  context.Context
	base string
}

// newTab opens a tab. With isolated, the tab gets its own browser context,
// so it shares no cookies with the other tabs (a different reader).
// startBrowser starts headless Chromium for one test, with the flags this
// machine needs (no background networking: its connections are refused
// here), and at the end of the test reports every problem the tabs
// recorded and how long the test took since start.
func startBrowser(t *testing.T, chromium string, start time.Time) (context.Context, *problems) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if d, ok := t.Deadline(); ok {
		// Stop a little before go test would, so the test reports where it was.
		ctx, cancel = context.WithDeadline(context.Background(), d.Add(-20*time.Second))
	}
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil { // starts the browser
		t.Fatalf("start %s: %v", chromium, err)
	}
	probs := &problems{logf: t.Logf}
	t.Cleanup(func() {
		for _, p := range probs.all() {
			t.Errorf("browser reported: %s", p)
		}
		t.Logf("the test took %v (build included)", time.Since(start).Round(time.Millisecond))
	})
	return browserCtx, probs
}

func newTab(t *testing.T, parent context.Context, name, base string, probs *problems, isolated bool) *tab {
	t.Helper()
	opts := []chromedp.ContextOption{chromedp.WithListener(probs.listener(name))}
	if isolated {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	ctx, cancel := chromedp.NewContext(parent, opts...)
	t.Cleanup(cancel)
	// The first Run binds the tab to ctx, which has no per-step timeout.
	enableAudits := chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tt, audits.Enable, cdp.Empty{})
		return err
	})
	if err := chromedp.Do(ctx, enableAudits); err != nil {
		t.Fatalf("%s: start the tab: %v", name, err)
	}
	return &tab{t: t, name: name, ctx: ctx, base: base}
}

func (b *tab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, browserStepTimeout)
}

// fatalf stops the test with where the tab is and what it shows.
func (b *tab) fatalf(format string, args ...any) {
	b.t.Helper()
	msg := fmt.Sprintf(format, args...)
	if b.ctx.Err() != nil {
		msg += " (the test's time ran out: go test -timeout)"
	} else if strings.Contains(msg, context.DeadlineExceeded.Error()) {
		msg += fmt.Sprintf(" (one step took longer than %v)", browserStepTimeout)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 1500) : ""`))
	b.t.Fatalf("%s: %s\n  at %s\n  page text:\n%s", b.name, msg, loc, body)
}

func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatalf("%v", err)
	}
}

// load runs actions that cause a navigation (a click on a link or a submit
// button), waits for the new page, wants status 200 and checks the page.
func (b *tab) load(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	if resp.Status != http.StatusOK {
		b.fatalf("%s: status %d %s, want 200", what, resp.Status, resp.StatusText)
	}
	b.checkPage()
}

func (b *tab) open(path string) {
	b.t.Helper()
	b.load("open "+path, chromedp.Navigate(b.base+path))
}

// follow clicks the element that sel finds and waits for the page it leads to.
func (b *tab) follow(sel string) {
	b.t.Helper()
	if !b.exists(sel) {
		b.fatalf("nothing matches %s", sel)
	}
	b.load("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// openUserMenu opens the menu under the reader's name in the navigation
// (their own pages, moderators' and wranglers' tools), as a tap does.
func (b *tab) openUserMenu() {
	b.t.Helper()
	if !b.exists(`header details.user-menu[open]`) {
		b.do(chromedp.Click(`header details.user-menu > summary`, chromedp.NodeVisible))
	}
}

func evalJS[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (b *tab) exists(sel string) bool {
	b.t.Helper()
	return evalJS[bool](b, fmt.Sprintf(`document.querySelector(%q) !== null`, sel))
}

func (b *tab) count(sel string) int {
	b.t.Helper()
	return evalJS[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

// text is the visible text of the first element sel finds, or "".
func (b *tab) text(sel string) string {
	b.t.Helper()
	return evalJS[string](b, fmt.Sprintf(`(document.querySelector(%q)?.innerText ?? "").trim()`, sel))
}

func (b *tab) path() string {
	b.t.Helper()
	return evalJS[string](b, `location.pathname + location.search`)
}

func (b *tab) wantText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.fatalf("%s: text %q does not contain %q", sel, got, want)
	}
}

func (b *tab) wantNone(sel string) {
	b.t.Helper()
	if n := b.count(sel); n != 0 {
		b.fatalf("%d elements match %s, want none", n, sel)
	}
}

func (b *tab) wantPath(re string) []string {
	b.t.Helper()
	p := b.path()
	m := regexp.MustCompile(`^` + re + `$`).FindStringSubmatch(p)
	if m == nil {
		b.fatalf("at %s, want a path matching %s", p, re)
	}
	return m
}

// typeInto types v into the field sel finds, as a user would.
func (b *tab) typeInto(sel, v string) {
	b.t.Helper()
	b.do(chromedp.SendKeys(chromedp.CSS(sel), v, chromedp.NodeVisible))
}

// setValue sets a select or a long textarea at once.
func (b *tab) setValue(sel, v string) {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.CSS(sel), v, chromedp.NodeVisible))
	if got := evalJS[string](b, fmt.Sprintf(`document.querySelector(%q).value`, sel)); got != v {
		b.fatalf("%s: value is %q after setting %q (no such option?)", sel, got, v)
	}
}

// pageReport is what checkPage reads from a page.
type pageReport struct {
	Title        string   `json:"title"`
	Lang         string   `json:"lang"`
	Scripts      int      `json:"scripts"`
	Unlabelled   []string `json:"unlabelled"`
	EmptyButtons []string `json:"emptyButtons"`
	DupIDs       []string `json:"dupIDs"`
	Overflow     int      `json:"overflow"`
	Stylesheets  int      `json:"stylesheets"`
	LowContrast  []string `json:"lowContrast"`
}

const pageReportJS = `(() => {
  const r = {title: document.title, lang: document.documentElement.lang,
    scripts: [...document.scripts].filter(s => !s.src || !s.src.startsWith(location.origin + '/static/')).length,
    unlabelled: [], emptyButtons: [], dupIDs: [], lowContrast: [], stylesheets: document.styleSheets.length,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
  const ids = new Map();
  for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) || 0) + 1);
  for (const [id, n] of ids) if (n > 1) r.dupIDs.push(id);
  const short = el => el.outerHTML.slice(0, 160);
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
    let name = (el.getAttribute('aria-label') || '').trim();
    if (!name && el.getAttribute('aria-labelledby')) {
      name = el.getAttribute('aria-labelledby').split(/\s+/).map(id => document.getElementById(id)?.textContent || '').join(' ').trim();
    }
    if (!name && el.id) {
      const l = document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
      if (l) name = l.textContent.trim();
    }
    if (!name) r.unlabelled.push(short(el));
  }
  // Text contrast (WCAG 1.4.3): 4.5:1, or 3:1 for large text, against the
  // nearest background colour; one line per colour pair.
  const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = v => {
    const [r, g, b] = v.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const seen = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1 || el.closest('[hidden], .visually-hidden, details:not([open]) > :not(summary)')) continue;
    const s = getComputedStyle(el);
    if (s.visibility !== 'visible' || el.disabled) continue;
    let bg = [255, 255, 255];
    for (let n = el; n; n = n.parentElement) {
      const v = rgb(getComputedStyle(n).backgroundColor);
      if (v.length === 3 || v[3] > 0.5) { bg = v; break; }
    }
    const fg = rgb(s.color), a = lum(fg), b = lum(bg);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(s.fontSize), large = size >= 24 || (size >= 18.66 && parseInt(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      const key = s.color + ' on ' + bg.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      r.lowContrast.push(ratio.toFixed(2) + ':1, ' + s.color + ' on rgb(' + bg.join(', ') + '), ' + size + 'px: "' + el.textContent.trim().slice(0, 40) + '" (' + el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ')');
    }
  }
  for (const el of document.querySelectorAll('button, input[type=submit], a[href]')) {
    const name = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim();
    if (!name) r.emptyButtons.push(short(el));
  }
  return r;
})()`

// checkPage runs the checks every page must pass.
func (b *tab) checkPage() {
	b.t.Helper()
	r := evalJS[pageReport](b, pageReportJS)
	where := b.path()
	var bad []string
	if r.Title == "" {
		bad = append(bad, "the page has no <title>")
	}
	if r.Lang == "" {
		bad = append(bad, "<html> has no lang")
	}
	if r.Scripts != 0 {
		bad = append(bad, fmt.Sprintf("the page has %d inline or foreign <script> elements; pages load script only from /static/", r.Scripts))
	}
	if r.Stylesheets == 0 {
		bad = append(bad, "the style sheet did not load")
	}
	for _, s := range r.Unlabelled {
		bad = append(bad, "form control without a label: "+s)
	}
	for _, s := range r.EmptyButtons {
		bad = append(bad, "button or link without text: "+s)
	}
	for _, s := range r.DupIDs {
		bad = append(bad, "duplicate id: "+s)
	}
	for _, s := range r.LowContrast {
		bad = append(bad, "low text contrast: "+s)
	}
	if r.Overflow > 0 {
		bad = append(bad, fmt.Sprintf("the page scrolls sideways by %d px", r.Overflow))
	}
	// Chrome's own form checks (labels, ids, autocomplete values), where this
	// Chrome build runs them; the JavaScript checks above do not depend on it.
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Call(ctx, audits.CheckFormsIssues, cdp.Empty{})
	if err != nil {
		b.fatalf("Audits.checkFormsIssues: %v", err)
	}
	for _, g := range res.FormIssues {
		bad = append(bad, fmt.Sprintf("Chrome form issue %s (attribute %q)", g.ErrorType, g.ViolatingNodeAttribute))
	}
	if len(bad) > 0 {
		b.t.Errorf("%s: page %s:\n  %s", b.name, where, strings.Join(bad, "\n  "))
	}
}

// focusReport describes the element that has the keyboard focus.
type focusReport struct {
	Element  string  `json:"element"`
	Outline  string  `json:"outline"`
	Width    float64 `json:"width"`
	Behind   string  `json:"behind"`
	Contrast float64 `json:"contrast"`
}

// focusJS reads the focus indicator of the focused element: its outline and
// the contrast of the outline with the background around the element (WCAG
// 1.4.11 wants 3:1).
const focusJS = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {element: "(nothing)", outline: "", width: 0, behind: "", contrast: 0};
  const s = getComputedStyle(e);
  const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = c => {
    const [r, g, b] = rgb(c).slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  let behind = "rgb(255, 255, 255)";
  for (let n = e.parentElement; n; n = n.parentElement) {
    const c = getComputedStyle(n).backgroundColor, v = rgb(c);
    if (v.length === 3 || (v.length === 4 && v[3] > 0)) { behind = c; break; }
  }
  const a = lum(s.outlineColor), b = lum(behind);
  return {element: e.outerHTML.slice(0, 100), outline: s.outlineStyle + " " + s.outlineColor, width: parseFloat(s.outlineWidth) || 0,
    behind: behind, contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
})()`

// checkFocus presses Tab n times and wants a visible focus indicator on each
// element that gets the focus.
func (b *tab) checkFocus(n int) {
	b.t.Helper()
	where := b.path()
	for i := 0; i < n; i++ {
		b.do(chromedp.KeyEvent("\t"))
		f := evalJS[focusReport](b, focusJS)
		switch {
		case strings.HasPrefix(f.Outline, "none") || f.Width < 2:
			b.t.Errorf("%s: page %s: Tab %d focuses %s with no visible outline (%s, %gpx)", b.name, where, i+1, f.Element, f.Outline, f.Width)
		case f.Contrast < 3:
			b.t.Errorf("%s: page %s: Tab %d focuses %s; its outline (%s) has contrast %.2f:1 with the background %s, want at least 3:1",
				b.name, where, i+1, f.Element, f.Outline, f.Contrast, f.Behind)
		}
	}
}

// screenshot captures the viewport (or, with full, the whole page) as PNG and
// writes it to docs/screenshots when QUIRE_SCREENSHOTS=1.
func (b *tab) screenshot(file string, full bool) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	var png []byte
	var err error
	if full {
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	} else {
		png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		b.fatalf("screenshot %s: %v", file, err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		b.fatalf("screenshot %s is not a PNG", file)
	}
	if os.Getenv("QUIRE_SCREENSHOTS") != "1" {
		return
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("wrote %s (%d bytes)", filepath.Join(dir, file), len(png))
}

// The work the writer posts. Chapter 1 is Markdown, chapter 2 HTML with
// markup the sanitizer must remove (a script, a style attribute, a handler).
const (
	workTitle   = "The Lantern Keeper's Ledger"
	workFandom  = "Original Work"
	workChars   = "Mara Quill, The Harbourmaster"
	workFree    = "Slow Burn, Lighthouses, Found Family"
	workSummary = "A keeper of a lighthouse counts every ship that passes, and one night a ship does not."
	ch1Title    = "The Count"
	ch1Markdown = "Mara kept the ledger the way her mother had: **one line for every ship**, one word for the weather.\n\nThe lamp turned above her all night, and the sea *answered it* with nothing at all.\n\nBy the third winter she knew the ships by their lights alone, the way a reader knows a friend by the shape of their handwriting. The blue lantern of the mail packet. The two reds of the collier from the north. The single trembling white of the fishing boats that went out when nobody else would.\n\n- wind from the west\n- three ships before midnight\n- none after"
	ch2Title    = "The Harbour at Night"
	ch2HTML     = `<p style="color:red" onclick="alert(1)">The harbourmaster came up the stairs at two in the morning with <em>salt in his beard</em> and a question he did not want to ask.</p><script>console.error("injected")</script><p>"Did you see her?" he said. Mara turned the ledger round so that he could read the empty line.</p>`
	ch1Probe    = "one line for every ship" // the bold text of chapter 1
	ch2Probe    = "salt in his beard"       // the emphasised text of chapter 2
	userName    = "lanternwright"
	userEmail   = "lanternwright@example.org"
	userPasswd  = "a long harbour password"
)

func TestBrowserPostAndReadWork(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	base := startServerForCLI(t, 30*time.Second, nil, "--data", t.TempDir(), "--demo", "--demo-works", "24", "--login-rate-limit", "0").URL
	t.Logf("quire built and serving at %s after %v", base, time.Since(start).Round(time.Millisecond))

	browserCtx, probs := startBrowser(t, chromium, start)

	// The writer: sign up, log out, log in again.
	w := newTab(t, browserCtx, "writer", base, probs, true)
	w.open("/signup")
	w.wantText("h1", "Sign up")
	w.typeInto("#s-name", userName)
	w.typeInto("#s-email", userEmail)
	w.typeInto("#s-password", userPasswd)
	w.typeInto("#s-confirm", userPasswd)
	w.follow(`form[action="/signup"] button[type=submit]`)
	if !w.exists(`header form[action="/logout"] button`) {
		w.fatalf("after signing up there is no Log out button: the signup did not log in")
	}
	w.wantText("header", userName)

	w.openUserMenu()
	w.follow(`header form[action="/logout"] button`)
	if w.exists(`header form[action="/logout"]`) || !w.exists(`header a[href="/login"]`) {
		w.fatalf("after logging out the header still shows a logged-in user")
	}

	w.follow(`header a[href="/login"]`)
	w.wantPath(`/login(\?.*)?`)
	w.typeInto("#l-login", userName)
	w.typeInto("#l-password", userPasswd)
	w.follow(`form[action="/login"] button[type=submit]`)
	if !w.exists(`header form[action="/logout"] button`) {
		w.fatalf("logging in did not log in")
	}

	// Post a work with one Markdown chapter.
	w.follow(`header a[href="/works/new"]`)
	w.wantPath(`/works/new`)
	w.setValue("select[name=rating]", "Explicit")
	w.do(chromedp.Click(chromedp.CSS(`input[name=warning][value="No Archive Warnings Apply"]`), chromedp.NodeVisible))
	if !evalJS[bool](w, `document.querySelector('input[name=warning][value="No Archive Warnings Apply"]').checked`) {
		w.fatalf("clicking the warning checkbox did not tick it")
	}
	w.typeInto("input[name=fandom]", workFandom)
	w.typeInto("input[name=character]", workChars)
	w.typeInto("input[name=freeform]", workFree)
	w.typeInto("input[name=title]", workTitle)
	w.typeInto("textarea[name=summary]", workSummary)
	w.typeInto("input[name=chapter_title]", ch1Title)
	w.setValue("select[name=body_format]", "markdown")
	w.setValue("textarea[name=body]", ch1Markdown)
	w.follow(`button[name=action][value=post]`)
	m := w.wantPath(`/works/(\d+)`)
	workID := m[1]
	w.wantText("h1.title", workTitle)
	w.wantText("dd.rating", "Explicit")
	w.wantText("dd.warning", "No Archive Warnings Apply")
	w.wantText("dd.fandom", workFandom)
	w.wantText("dd.character", "Mara Quill")
	w.wantText("dd.character", "The Harbourmaster")
	w.wantText("dd.freeform", "Found Family")
	w.wantText(".preface .summary", workSummary)
	w.wantText(".byline", userName)
	w.wantText("#chapters .userstuff strong", ch1Probe) // Markdown became HTML
	w.wantText("#chapters .userstuff li", "wind from the west")
	w.wantNone("section.adult-notice") // the writer sees their own work
	w.wantNone("nav.chapter-nav")      // one chapter: no chapter navigation

	// Add chapter 2 in HTML.
	w.follow(`nav.work-actions a[href="/works/` + workID + `/chapters/new"]`)
	w.wantPath(`/works/` + workID + `/chapters/new`)
	w.typeInto("input[name=chapter_title]", ch2Title)
	w.setValue("select[name=body_format]", "html")
	w.setValue("textarea[name=body]", ch2HTML)
	w.follow(`button[name=action][value=post]`)
	m = w.wantPath(`/works/` + workID + `/chapters/(\d+)`)
	ch2ID := m[1]
	w.wantText("#chapters h2", "Chapter 2: "+ch2Title)
	w.wantText("#chapters .userstuff em", ch2Probe)
	// No script from the creator's HTML, and none on the page but the
	// archive's own progressive enhancements.
	w.wantNone(`#chapters [style], #chapters [onclick], #chapters script, script:not([src^="/static/"])`)

	// Move between the chapters.
	top := `nav.chapter-nav:not(.bottom) `
	w.follow(top + `a[rel=prev]`)
	m = w.wantPath(`/works/` + workID + `/chapters/(\d+)(\?.*)?`)
	ch1ID := m[1]
	if ch1ID == ch2ID {
		w.fatalf("← Previous chapter led to the same chapter")
	}
	w.wantText("#chapters h2", "Chapter 1: "+ch1Title)
	w.wantText("#chapters", ch1Probe)
	w.wantNone(top + `a[rel=prev]`)
	w.wantText(top+`a[rel=next]`, "Next chapter →")
	w.follow(top + `a[rel=next]`)
	w.wantPath(`/works/` + workID + `/chapters/` + ch2ID + `(\?.*)?`)
	w.wantText("#chapters", ch2Probe)
	w.wantText(top+`a[rel=prev]`, "← Previous chapter")
	w.wantNone(top + `a[rel=next]`)

	w.do(chromedp.Click(chromedp.CSS(top+`details.chapter-index summary`), chromedp.NodeVisible))
	if n := w.count(top + `details.chapter-index[open] li a`); n != 2 {
		w.fatalf("the opened chapter index has %d links, want 2", n)
	}
	w.wantText(top+`details.chapter-index li:nth-child(1) a`, ch1Title)
	w.wantText(top+`details.chapter-index li:nth-child(2) a`, ch2Title)
	w.follow(top + `details.chapter-index li:nth-child(1) a`)
	w.wantPath(`/works/` + workID + `/chapters/` + ch1ID + `(\?.*)?`)
	w.wantText("#chapters", ch1Probe)

	w.follow(top + `a[href*="view_full_work=true"]`)
	w.wantPath(`/works/` + workID + `\?.*view_full_work=true.*`)
	if n := w.count("#chapters article.chapter"); n != 2 {
		w.fatalf("Entire work shows %d chapters, want 2", n)
	}
	w.wantText("#chapter-1", ch1Probe)
	w.wantText("#chapter-2", ch2Probe)

	// A logged-out reader (a browser context of its own, so no cookies)
	// gets the adult-content notice first.
	r := newTab(t, browserCtx, "reader", base, probs, true)
	r.open("/works/" + workID)
	if r.exists(`header form[action="/logout"]`) {
		r.fatalf("the reader's tab is logged in")
	}
	r.wantText("section.adult-notice h1", "This work could have adult content")
	r.wantNone("#chapters")
	if strings.Contains(r.text("main"), "Mara kept the ledger") {
		r.fatalf("the chapter text is on the page behind the adult-content notice")
	}
	r.wantText("section.adult-notice a.button", "Yes, Continue")
	r.follow("section.adult-notice a.button")
	r.wantPath(`/works/` + workID + `\?(.*&)?view_adult=true(&.*)?`)
	r.wantNone("section.adult-notice")
	r.wantText("#chapters", ch1Probe)
	r.wantNone("nav.work-actions") // not the writer's
	r.screenshot("desktop-work.png", true)
	r.follow(top + `a[rel=next]`)
	r.wantNone("section.adult-notice")
	r.wantText("#chapters", ch2Probe)
	// A chapter URL without view_adult shows the notice again.
	r.open("/works/" + workID + "/chapters/" + ch2ID)
	r.wantText("section.adult-notice h1", "This work could have adult content")
	r.wantNone("#chapters")

	r.open("/works")
	r.wantText("main", workTitle)
	if n := r.count("ol.work.index > li"); n < 2 {
		r.fatalf("the /works listing shows %d blurbs, want the demo works and the new one", n)
	}
	r.screenshot("desktop-works.png", false)
	r.checkFocus(12) // the skip link, the header, the first blurb

	// A phone: no sideways scrolling (checkPage), the text is there.
	p := newTab(t, browserCtx, "phone", base, probs, true)
	p.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	p.open("/works/" + workID + "?view_adult=true")
	p.wantText("h1.title", workTitle)
	p.wantText("#chapters", ch1Probe)
	p.screenshot("phone-work.png", false)
	p.open("/works")
	p.open("/works/new") // not logged in: the login form
	p.wantPath(`/login\?.*`)

	// The dark colour scheme: the same checks (contrast, focus) on the
	// pages a reader sees.
	d := newTab(t, browserCtx, "dark", base, probs, true)
	d.do(chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
		return err
	}))
	d.open("/works")
	if bg := evalJS[string](d, `getComputedStyle(document.body).backgroundColor`); bg == "rgb(253, 252, 250)" {
		d.fatalf("the dark colour scheme did not apply (body background %s)", bg)
	}
	d.checkFocus(12)
	d.open("/works/" + workID)
	d.open("/works/" + workID + "?view_full_work=true&view_adult=true")
	d.open("/signup")
	d.open("/login")
}
