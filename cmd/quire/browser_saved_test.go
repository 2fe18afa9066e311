package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserReaderFilters walks a reader's own tools at 390 px and 1280 px:
// exclude a tag, change the sort, and the exclusion stays ticked; hide a
// work from a listing; save the search and find its works in its feed.
func TestBrowserReaderFilters(t *testing.T) {
	chromium := findChromium(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	base := startServerForCLI(t, 30*time.Second, nil, "--data", t.TempDir(), "--demo", "--demo-works", "40", "--login-rate-limit", "0").URL
	browserCtx, probs := startBrowser(t, chromium, start)

	for _, size := range []struct {
		name string
		w, h int
		mob  bool
	}{{"phone", 390, 844, true}, {"desktop", 1280, 900, false}} {
		b := newTab(t, browserCtx, size.name, base, probs, true)
		if size.mob {
			b.do(chromedp.EmulateViewport(int64(size.w), int64(size.h), chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
		} else {
			b.do(chromedp.EmulateViewport(int64(size.w), int64(size.h)))
		}
		name := "filterer" + size.name
		b.open("/signup")
		b.typeInto("#s-name", name)
		b.typeInto("#s-email", name+"@example.test")
		b.typeInto("#s-password", "correct horse battery")
		b.typeInto("#s-confirm", "correct horse battery")
		b.follow(`form[action="/signup"] button[type=submit]`)

		// Exclude the first additional tag the sidebar offers.
		b.open("/works")
		openFilters := func() {
			// On a phone the filters fold behind "Filters"; a wide screen
			// shows them with the control hidden.
			if evalJS[bool](b, `!document.querySelector("details.filter-panel").open && document.querySelector("details.filter-panel > summary").offsetParent !== null`) {
				b.do(chromedp.Click(chromedp.CSS(`details.filter-panel summary`), chromedp.NodeVisible))
			}
		}
		openFilters()
		tag := evalJS[string](b, `document.querySelector('input[name=exclude_freeform]').value`)
		if tag == "" {
			b.fatalf("the sidebar offers no additional tag to exclude")
		}
		box := fmt.Sprintf(`details.filter-panel input[name=exclude_freeform][value=%q]`, tag)
		b.do(chromedp.Click(chromedp.CSS(box), chromedp.NodeVisible))
		b.follow(`details.filter-panel form button[type=submit]`)
		if !strings.Contains(b.path(), "exclude_freeform=") {
			b.fatalf("the exclusion is not in the URL: %s", b.path())
		}
		// Change the sort: the exclusion stays ticked.
		openFilters()
		b.setValue("#f-sort", "kudos")
		b.follow(`details.filter-panel form button[type=submit]`)
		if p := b.path(); !strings.Contains(p, "sort=kudos") || !strings.Contains(p, "exclude_freeform=") {
			b.fatalf("after changing the sort: %s", p)
		}
		if !evalJS[bool](b, fmt.Sprintf(`document.querySelector(%q)?.checked === true`, box)) {
			b.fatalf("the excluded tag %q is no longer ticked after changing the sort", tag)
		}
		listingPath := b.path()

		// Hide the first work of the listing.
		title := b.text("ol.work.index > li h3.heading a")
		b.follow(`ol.work.index > li .reader-actions button`)
		b.wantText("p.notice", "You hid a work")
		if title == "" || strings.Contains(b.text("ol.work.index"), title) {
			b.fatalf("the hidden work %q is still listed", title)
		}

		// Save the search, with a daily digest, and find it in its feed.
		b.open(listingPath)
		b.do(chromedp.Click(chromedp.CSS(`details.save-search summary`), chromedp.NodeVisible))
		b.setValue("#save-name", "Without "+tag)
		b.setValue("#save-digest", "daily")
		b.follow(`details.save-search button[type=submit]`)
		b.wantPath(`/account/searches(\?.*)?`)
		b.wantText("p.notice", "Search saved.")
		b.wantText("ol.saved-searches", "Without "+tag)
		feed := evalJS[string](b, `document.querySelector('input[id^="feed-"]').value`)
		resp, err := http.Get(feed)
		if err != nil {
			b.fatalf("feed: %v", err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "<entry>") {
			b.fatalf("the saved search's feed %s: %d %.300s", feed, resp.StatusCode, body)
		}
		if strings.Contains(string(body), ">"+title+"<") {
			b.fatalf("the hidden work %q is in the saved search's feed", title)
		}
		b.screenshot(size.name+"-saved-searches.png", true)
	}
}
