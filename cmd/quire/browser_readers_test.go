package main

// The reader's daily pages in a real browser, at 390 px and 1280 px: the
// bookmark listings with their sidebar, checkboxes beside their labels,
// the sidebar's ratings, warnings and categories with counts, the work
// page's actions in one style, inbox and subscription actions as buttons,
// a logged-in navigation of at most two lines on a phone, and the
// wrangler's link to their tools.

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserReadersPages(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	data := t.TempDir()
	writer := addWriterForCLI(t, data, "lampwright", "lampwright@example.org")
	reader := addWriterForCLI(t, data, "quillreader", "quillreader@example.org")
	if r := runQuireForCLI(t, nil, "user", "role", "quillreader", "--add", "wrangler", "--data", data); r.Code != 0 {
		t.Fatalf("quire user role: %d %s", r.Code, r.Stderr)
	}
	base := startServerForCLI(t, 30*time.Second, nil, "--data", data, "--login-rate-limit", "0").URL

	var ids []int64
	for i, tag := range []string{"Lamplight", "Fog", "Lamplight"} {
		var w struct {
			ID int64 `json:"id"`
		}
		postJSONForCommunity(t, base+"/api/v1/works", writer, map[string]any{
			"title": fmt.Sprintf("Harbour Lamp %d", i+1), "rating": "General Audiences", "warnings": []string{"No Archive Warnings Apply"},
			"categories": []string{"Gen"}, "fandoms": []string{"Original Work"}, "freeforms": []string{tag},
			"chapters": []map[string]any{{"body": "<p>The lamp was lit at dusk.</p>"}},
		}, &w)
		ids = append(ids, w.ID)
	}
	var b struct {
		ID int64 `json:"id"`
	}
	postJSONForCommunity(t, base+"/api/v1/users/quillreader/bookmarks", reader, map[string]any{"work_id": ids[0], "tags": []string{"cosy"}, "rec": true}, &b)
	postJSONForCommunity(t, base+"/api/v1/users/quillreader/bookmarks", reader, map[string]any{"work_id": ids[1], "tags": []string{"gloomy"}}, &b)
	postJSONForCommunity(t, base+"/api/v1/users/lampwright/bookmarks", writer, map[string]any{"work_id": ids[2], "tags": []string{"cosy"}}, &b)
	work := "/works/" + strconv.FormatInt(ids[0], 10)

	browserCtx, probs := startBrowser(t, chromium, start)
	for _, size := range []struct {
		name          string
		width, height int64
		phone         bool
	}{{"phone", 390, 844, true}, {"desktop", 1280, 900, false}} {
		r := newTab(t, browserCtx, "reader-"+size.name, base, probs, true)
		if size.phone {
			r.do(chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
		} else {
			r.do(chromedp.EmulateViewport(size.width, size.height))
		}
		r.open("/login")
		r.typeInto("#l-login", "quillreader")
		r.typeInto("#l-password", "correct horse battery staple")
		r.follow(`form[action="/login"] button[type=submit]`)
		if !r.exists(`header form[action="/logout"]`) {
			r.fatalf("not logged in")
		}

		// The navigation: at most two lines of links, the reader's pages in a
		// menu, and the wrangler's tools there.
		lines := evalJS[int](r, `(() => { const tops = [...document.querySelectorAll('header.site nav > a, header.site nav > details > summary')].map(e => e.getBoundingClientRect().top).sort((a, b) => a - b); let n = 0, at = -1e9; for (const t of tops) { if (t > at + 12) { n++; at = t; } } return n; })()`)
		if lines > 2 {
			r.fatalf("the logged-in navigation takes %d lines at %d px: %s", lines, size.width,
				evalJS[string](r, `[...document.querySelectorAll('header.site nav > a, header.site nav > details > summary')].map(e => e.textContent.trim() + '@' + Math.round(e.getBoundingClientRect().left) + ',' + Math.round(e.getBoundingClientRect().top) + 'w' + Math.round(e.getBoundingClientRect().width)).join(' ')`))
		}
		r.openUserMenu()
		if !r.exists(`header details.user-menu[open] a[href="/tags/unwrangled"]`) || !evalJS[bool](r, `document.querySelector('header details.user-menu a[href="/tags/unwrangled"]').getBoundingClientRect().height > 0`) {
			r.fatalf("the wrangler has no visible link to their tools in the menu")
		}
		r.follow(`header details.user-menu a[href="/tags/unwrangled"]`)
		r.wantPath(`/tags/unwrangled`)

		// The works sidebar: ratings, warnings and categories with counts;
		// every checkbox beside its label.
		r.open("/works")
		openFilters(r, size.phone)
		r.wantText(".filters", "General Audiences (3)")
		r.wantText(".filters", "No Archive Warnings Apply (3)")
		r.wantText(".filters", "Gen (3)")
		checkBeside(r)

		// The bookmark listing: filter by a bookmarker's tag and exclude a
		// work tag; the exclusion stays ticked after a change of sort.
		r.open("/bookmarks?bookmark_tag=cosy")
		r.wantText("h2.count", "2 bookmarks")
		r.open("/bookmarks?exclude_freeform=Fog")
		r.wantText("h2.count", "2 bookmarks")
		if size.phone {
			r.do(chromedp.Click(`details.filter-panel > summary`, chromedp.NodeVisible))
		}
		r.setValue(`#f-sort`, "updated")
		r.follow(`.filters form button[type=submit]`)
		r.wantText("h2.count", "2 bookmarks")
		if !r.exists(`input[name=exclude_freeform][value="Fog"]:checked`) {
			r.fatalf("the excluded tag is no longer ticked after changing the sort")
		}
		openFilters(r, size.phone)
		r.wantText(".filters", "Bookmarker's tags")
		checkBeside(r)
		r.open("/users/quillreader/bookmarks?rec=true")
		r.wantText("h2.count", "1 bookmark")
		sameButtons(r, ".bookmark-meta .actions a, .bookmark-meta .actions button")

		// A work's bookmarks: the same sidebar, without the works' filters.
		r.open(work + "/bookmarks?bookmark_tag=cosy")
		r.wantText("h2.count", "1 bookmark")
		openFilters(r, size.phone)
		r.wantText(".filters", "cosy (1)")
		r.wantNone(`#f-complete`)
		checkBeside(r)

		// The work page's actions: one row of buttons in one style.
		r.open(work)
		sameButtons(r, ".work-actions.reader a.button, .work-actions.reader button")
		r.follow(`form.subscribe-action button[type=submit]`)
		r.open("/inbox")
		sameButtons(r, "ul.subscriptions button")
		r.open("/account/preferences")
		checkBeside(r)
		r.open("/works/new")
		checkBeside(r)
		r.open(work)
		r.follow(`form.subscribe-action button[type=submit]`) // unsubscribe again for the next size
	}
}

// openFilters unfolds the sidebar on a phone, as a reader taps "Filters".
func openFilters(r *tab, phone bool) {
	r.t.Helper()
	if phone {
		r.do(chromedp.Click(`details.filter-panel > summary`, chromedp.NodeVisible))
	}
}

// checkBeside fails when a visible checkbox does not sit on the line of the
// label that follows it (or the label is not to its right).
func checkBeside(r *tab) {
	r.t.Helper()
	bad := evalJS[string](r, `(() => {
	  for (const c of document.querySelectorAll('input[type=checkbox]')) {
	    const l = document.querySelector('label[for="' + c.id + '"]');
	    const cr = c.getBoundingClientRect();
	    if (!l || cr.height === 0) continue;
	    const lr = l.getClientRects()[0];
	    if (!lr) continue;
	    if (lr.left < cr.right - 1 || Math.abs((lr.top + lr.bottom) / 2 - (cr.top + cr.bottom) / 2) > lr.height) return c.id + ': label at ' + lr.left + ',' + lr.top + ', box at ' + cr.left + ',' + cr.top;
	  }
	  return '';
	})()`)
	if bad != "" {
		r.fatalf("a checkbox is not beside its label: %s", bad)
	}
}

// sameButtons fails unless every element sel finds (at least one) looks
// like a button, all in one style: a border, the same font size and
// background.
func sameButtons(r *tab, sel string) {
	r.t.Helper()
	bad := evalJS[string](r, `(() => {
	  const els = [...document.querySelectorAll(`+strconv.Quote(sel)+`)];
	  if (els.length === 0) return 'none found';
	  const key = e => { const s = getComputedStyle(e); return [s.borderTopStyle, s.fontSize, s.backgroundColor, s.fontFamily].join('|'); };
	  const first = key(els[0]);
	  for (const e of els) {
	    const s = getComputedStyle(e);
	    if (s.borderTopStyle === 'none' || s.borderTopWidth === '0px') return e.textContent.trim() + ' has no border (looks like plain text)';
	    if (key(e) !== first) return e.textContent.trim() + ' is styled ' + key(e) + ', not ' + first;
	  }
	  return '';
	})()`)
	if bad != "" {
		r.fatalf("%s: %s", sel, bad)
	}
}
