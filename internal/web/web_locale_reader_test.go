package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quire/internal/i18n"
	"quire/internal/web"
)

var (
	localeTextRe = regexp.MustCompile(`>([^<>]+)<`)
	localeAttrRe = regexp.MustCompile(`\b(?:aria-label|title|placeholder|alt)="([^"]+)"`)
	letterOnlyRe = regexp.MustCompile(`[A-Za-z]`)
)

// englishLeft lists the catalog messages that a page in locale l shows in
// English: a text node or a label that is, whole, an English message whose
// translation differs. User text (titles, names, tags) is never a whole
// message, so it does not count.
func englishLeft(l, en *i18n.Locale, body string) []string {
	main := body
	if i := strings.Index(main, "<main"); i >= 0 {
		main = main[i:]
	}
	if i := strings.Index(main, "</main>"); i >= 0 {
		main = main[:i]
	}
	var left []string
	// A word the language itself writes for another message is not left
	// in English (German's "Filter" for "Filters" is also the English "Filter").
	own := map[string]bool{}
	for _, k := range l.Keys() {
		if t := l.T(k); t != k {
			own[t] = true
		}
	}
	check := func(s string) {
		s = strings.TrimSpace(html.UnescapeString(s))
		if s == "" || !letterOnlyRe.MatchString(s) || !en.Has(s) || strings.Contains(s, "{") || own[s] {
			return
		}
		if l.T(s) != s {
			left = append(left, s)
		}
	}
	for _, m := range localeTextRe.FindAllStringSubmatch(main, -1) {
		check(m[1])
	}
	for _, m := range localeAttrRe.FindAllStringSubmatch(main, -1) {
		check(m[1])
	}
	return left
}

// TestEveryLocaleRendersReaderPages walks the reader's and creator's
// pages (each with something on it) in every shipped language: each has
// its lang and dir, and no message of the catalog left in English.
func TestEveryLocaleRendersReaderPages(t *testing.T) {
	r := newRig(t, web.Options{})
	cat, err := i18n.Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	en := cat.Lookup("en")

	omar := r.browser()
	omar.signup("omar")
	other := omar.postWork(url.Values{"title": {"Tide Tables"}, "fandom": {"Harbor Lights"}})
	lena := r.browser()
	lena.signup("lena")
	mine := lena.postWork(url.Values{"title": {"A Quiet Harbor"}})
	lena.postWork(url.Values{"title": {"Unfinished Sketch"}, "action": {"draft"}})
	series := lena.post("/series", url.Values{"title": {"Harbor Stories"}, "summary": {"Short pieces."}}).status_(t, 200).url
	lena.post(series+"/works", url.Values{"work_id": {strings.TrimPrefix(mine, "/works/")}}).status_(t, 200)
	lena.post("/users/lena/pseuds", url.Values{"name": {"lena_writes"}}).status_(t, 200)
	lena.get(other).status_(t, 200) // a visit for the history
	lena.post(other+"/bookmarks", url.Values{"notes": {"Calm and kind."}, "tags": {"comfort"}, "rec": {"1"}}).status_(t, 200)
	lena.post(other+"/mark_for_later", url.Values{"on": {"1"}, "return_to": {other}}).status_(t, 200)
	lena.post("/subscriptions", url.Values{"kind": {"user"}, "target": {"omar"}, "return_to": {"/users/omar"}}).status_(t, 200)
	lena.post("/subscriptions", url.Values{"kind": {"work"}, "target": {strings.TrimPrefix(other, "/works/")}, "return_to": {other}}).status_(t, 200)
	lena.post("/account/hidden", url.Values{"work_id": {strings.TrimPrefix(other, "/works/")}, "return_to": {other}}).status_(t, 200)
	r.browser().signup("pia")
	lena.post("/account/blocked", url.Values{"name": {"pia"}}).status_(t, 200)
	lena.post("/account/mutes", url.Values{"tags": {"Lantern Tales"}}).status_(t, 200)
	lena.post("/account/searches", url.Values{"name": {"Harbor"}, "q": {"harbor"}}).status_(t, 200)

	signedIn := []string{
		"/", "/account", "/account/preferences", "/account/profile", "/account/blocked", "/account/mutes", "/account/hidden",
		"/account/creator_invitations", "/inbox", "/users/lena", "/users/lena/series", "/users/lena/pseuds", "/users/omar",
		"/users/lena/readings", "/users/lena/readings?show=to-read", "/users/lena/drafts", "/users/lena/stats",
		"/users/lena/orphan", "/users/lena/works/edit_multiple", "/users/lena/gifts", "/series/new",
		mine + "/chapters/order", mine + "/delete", "/logout", "/media", "/people/search?q=o", "/tags/search?q=Harbor",
		"/tags/Harbor%20Lights", "/tags/General%20Audiences", other + "/bookmarks", "/account/related_works", series, "/account/searches",
	}
	guestPages := []string{"/", "/password_reset", series, "/media", "/media/Uncategorized%20Fandoms/fandoms", "/users/lena", "/tags/Lantern%20Tales"}
	guest := r.browser()
	for _, code := range []string{"es", "de", "zh-Hans", "ja", "ar"} {
		l := cat.Lookup(code)
		dir := "ltr"
		if code == "ar" {
			dir = "rtl"
		}
		for _, who := range []struct {
			b     *browser
			paths []string
		}{{lena, signedIn}, {guest, guestPages}} {
			for _, path := range who.paths {
				p := who.b.getIn(path, code)
				if p.status != 200 {
					t.Errorf("%s %s: status %d", code, path, p.status)
					continue
				}
				if !strings.Contains(p.body, `<html lang="`+code+`" dir="`+dir+`">`) {
					t.Errorf("%s %s: no lang and dir", code, path)
				}
				if left := englishLeft(l, en, p.body); len(left) > 0 {
					t.Errorf("%s %s: English left: %q", code, path, left)
				}
			}
		}
	}
	// The test can fail: an English page holds English messages.
	if left := englishLeft(cat.Lookup("de"), en, lena.getIn("/account", "en").body); len(left) == 0 {
		t.Error("englishLeft found no English on an English page")
	}
}

// A page title built from a user's text is not read as a message: braces
// in a work's title stay as written, in every language.
func TestTitleWithBracesStaysAsWritten(t *testing.T) {
	r := newRig(t, web.Options{})
	lena := r.browser()
	lena.signup("lena")
	w := lena.postWork(url.Values{"title": {"Plan {0} and {1}"}})
	for _, code := range []string{"en", "de", "ja"} {
		p := lena.getIn(w+"/bookmarks/new", code).status_(t, 200)
		title := p.body[strings.Index(p.body, "<title>"):strings.Index(p.body, "</title>")]
		if !strings.Contains(title, "Plan {0} and {1}") {
			t.Errorf("%s: the title reads %q", code, title)
		}
	}
	lena.getIn(w+"/bookmarks/new", "de").has(t, "<title>Plan {0} and {1} als Lesezeichen")
}
