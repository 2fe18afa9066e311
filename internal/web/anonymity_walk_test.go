package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quire/internal/api"
	"quire/internal/site"
	"quire/internal/site/sitetest"
	"quire/internal/store/testdb"
	"quire/internal/web"
)

// The anonymity walk: a creator posts to an anonymous collection and to an
// unrevealed one, comments on their own anonymous work, gives it as a
// gift; then a guest and a logged-in reader walk every page and API route
// they can reach from the archive's public entry points (following every
// link the pages give them, downloads unpacked) and no response may name
// the creator or show the mystery work's title. The creator's own pages
// (which name them) must not show the anonymous works. Keep the seeds
// below up to date as routes are added.
func TestAnonymityWalk(t *testing.T) {
	a := sitetest.Open(t, sitetest.Options{Loc: testdb.Location(t), BaseURL: "http://quire.test"})
	pages, err := web.New(a.Site, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(a.Site, api.Options{}))
	mux.Handle("/", pages)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	r := &rig{t: t, site: a.Site, store: a.Store, srv: srv, mailLog: a.Mail}

	keeper := r.browser()
	keeper.signup("keeper")
	keeper.post("/collections", url.Values{"name": {"Veils"}, "title": {"Veil Fest"}, "open": {"1"}, "anonymous": {"1"}}).status_(t, 200)
	keeper.post("/collections", url.Values{"name": {"Mysteries"}, "title": {"Mystery Fest"}, "open": {"1"}, "anonymous": {"1"}, "unrevealed": {"1"}}).status_(t, 200)

	recipient := r.browser()
	recipient.signup("recipient")
	reader := r.browser()
	reader.signup("curious")
	// The reader follows the creator before the creator posts.
	reader.post("/subscriptions", url.Values{"kind": {"user"}, "target": {"hiddenhand"}})

	creator := r.browser()
	creator.signup("hiddenhand")
	veiled := creator.postWork(url.Values{"title": {"Veiled Tale"}, "collections": {"Veils"}, "gifts": {"recipient"},
		"freeform": {"Masked Ball"}, "character": {"Lantern Keeper"}})
	hidden := creator.postWork(url.Values{"title": {"Hidden Orchard"}, "collections": {"Mysteries"}, "freeform": {"Orchard Secret Tag"}})
	vid := strings.TrimPrefix(veiled, "/works/")
	hid := strings.TrimPrefix(hidden, "/works/")
	// A series holding the anonymous work (its page is reached from the
	// work page; the creator's series tab must not list it).
	series := creator.post("/series", url.Values{"title": {"Masked Cycle"}}).status_(t, 200).url
	creator.post(series+"/works", url.Values{"work_id": {vid}}).status_(t, 200)

	// A second chapter credited to another of the creator's pseuds: a
	// chapter byline of its own, which the collection hides too.
	creator.post("/users/hiddenhand/pseuds", url.Values{"name": {"Veil Quill"}}).status_(t, 200)
	creator.post(veiled+"/chapters/new", url.Values{"body": {"The second part."}, "chapter_creators": {"Veil Quill"}, "action": {"post"}}).status_(t, 200)
	creator.get(veiled+"?view_full_work=true").has(t, "Chapter by", "Veil Quill")

	// A reader comments; the creator replies; kudos and a bookmark.
	chapterPath := firstChapterPath(t, reader.get(veiled).body)
	reader.post(chapterPath+"/comments", url.Values{"body": {"Who wrote this?"}})
	parent := regexp.MustCompile(`id="comment-(\d+)"`).FindStringSubmatch(creator.get(chapterPath).body)
	if parent == nil {
		t.Fatal("no comment to reply to")
	}
	creator.post(chapterPath+"/comments", url.Values{"body": {"A secret!"}, "parent_id": {parent[1]}})
	reader.post(veiled+"/kudos", nil)
	reader.post("/bookmarks", url.Values{"work_id": {vid}, "notes": {"lovely"}})
	creator.get(chapterPath).has(t, "A secret!")

	// Related works both ways: the anonymous creator remixes the reader's
	// work (in the anonymous collection) and names it from a mystery work;
	// the reader answers the anonymous work; both links are approved.
	open := reader.postWork(url.Values{"title": {"Open Tale"}})
	creator.postWork(url.Values{"title": {"Veiled Remix"}, "collections": {"Veils"}, "related_rows": {"1"}, "related_kind_1": {"remix"}, "related_url_1": {open}})
	creator.postWork(url.Values{"title": {"Hidden Orchard Sequel"}, "collections": {"Mysteries"}, "related_rows": {"1"}, "related_url_1": {open}})
	answer := reader.postWork(url.Values{"title": {"Reader Answer"}, "related_rows": {"1"}, "related_url_1": {veiled}})
	links := regexp.MustCompile(`action="(/works/\d+/related/\d+)"`).FindAllStringSubmatch(reader.get("/account/related_works").has(t, "Veiled Remix").body, -1)
	if len(links) != 1 {
		t.Fatalf("the reader answers %d links, want 1 (the mystery work's stays out of sight)", len(links))
	}
	reader.post(links[0][1], url.Values{"state": {"approved"}}).status_(t, 200)
	creator.post(veiled+"/related/"+strings.TrimPrefix(answer, "/works/"), url.Values{"state": {"approved"}}).status_(t, 200)
	reader.get(open).has(t, "Works inspired by this one", "Veiled Remix")
	r.browser().get(answer).has(t, "Inspired by", "Veiled Tale")

	// A prompt meme in the anonymous collection: the creator posts an
	// anonymous prompt and claims the reader's prompt (claims there are
	// anonymous), and fills it with an anonymous work.
	keeper.post("/collections/Veils/challenge", url.Values{"kind": {"prompt_meme"}, "requests_max": {"5"},
		"fandom_request_min": {"1"}, "fandom_request_max": {"1"}}).status_(t, 200)
	ownPrompt := creator.post("/collections/Veils/prompts", url.Values{"fandom": {"Lantern Tales"}, "title": {"Lantern Wish"},
		"text": {"A lantern that remembers."}, "anonymous": {"1"}}).status_(t, 200).url
	readerPrompt := reader.post("/collections/Veils/prompts", url.Values{"fandom": {"Lantern Tales"}, "title": {"Masked Wish"},
		"text": {"A masked ball."}}).status_(t, 200).url
	creator.post(readerPrompt+"/claim", nil).status_(t, 200)
	claim := regexp.MustCompile(`/works/new\?claim=(\d+)`).FindStringSubmatch(creator.get(readerPrompt).body)
	if claim == nil {
		t.Fatal("the creator has no claim to fill")
	}
	creator.postWork(url.Values{"title": {"Veiled Fill"}, "collections": {"Veils"}, "claims_shown": {"1"}, "claim": {claim[1]}})
	reader.get(readerPrompt).has(t, "Veiled Fill", "Anonymous")
	reader.get("/inbox").has(t, "filled your prompt")
	// Behind the masks the name is there: the walk below would catch it.
	keeper.get(ownPrompt).has(t, "hiddenhand")
	keeper.get(readerPrompt).has(t, "hiddenhand")
	opid := strings.TrimPrefix(ownPrompt[strings.LastIndex(ownPrompt, "/"):], "/")
	rpid := strings.TrimPrefix(readerPrompt[strings.LastIndex(readerPrompt, "/"):], "/")

	// The creator's name in any case, and the mystery work's words.
	secrets := []string{"hiddenhand", "Hidden Orchard", "Orchard Secret Tag", "Veil Quill"}

	seeds := []string{"/", "/works", "/works?sort=creator", "/works?sort=creator&order=desc", "/works?q=hiddenhand",
		"/works?q=creator:hiddenhand", "/works?q=Orchard", "/works/search?q=hiddenhand", "/collections", "/collections?q=fest",
		"/collections/Veils", "/collections/Veils/works", "/collections/Veils/works?sort=creator", "/collections/Veils/feed.atom",
		"/collections/Mysteries", "/collections/Mysteries/works", "/collections/Mysteries/feed.atom",
		"/collections/Mysteries/works?freeform=Orchard+Secret+Tag", "/tags/Orchard%20Secret%20Tag/works", "/tags/Orchard%20Secret%20Tag",
		"/tags/Masked%20Ball/works", "/tags/Masked%20Ball/feed.atom", veiled, veiled + "?view_full_work=true", veiled + "/feed.atom",
		chapterPath, hidden, "/users/recipient", "/users/recipient/gifts", series, "/api/v1" + series, "/users/curious/bookmarks", "/users/keeper/collections",
		"/inbox", "/readings", "/subscriptions", "/bookmarks", "/sitemap.xml", "/account/related_works", open, answer,
		"/api/v1/works", "/api/v1/works?sort=creator", "/api/v1/works?q=hiddenhand", "/api/v1/works?q=creator:hiddenhand",
		"/api/v1/works/" + vid, "/api/v1/works/" + hid, "/api/v1/works/" + vid + "/chapters/1", "/api/v1/works/" + vid + "/chapters/2", "/api/v1/works/" + vid + "/chapters/1/comments",
		"/api/v1/works/" + vid + "/kudos", "/api/v1/collections", "/api/v1/collections/Veils", "/api/v1/collections/Veils/works",
		"/api/v1/collections/Mysteries/works", "/api/v1/users/recipient/gifts", "/api/v1/users/curious/bookmarks",
		"/api/v1/tags/Orchard%20Secret%20Tag", "/api/v1/autocomplete/tags?type=freeform&q=Orch", "/api/v1/me/inbox", "/api/v1/me/history",
		"/api/v1/subscriptions", "/api/v1/comments/1", "/api/v1/comments/2", "/api/v1/works/" + vid + "/chapters/1/comments?page=1",
		"/collections/Veils/prompts", "/collections/Veils/prompts?status=claimed", "/collections/Veils/prompts?status=filled&sort=oldest",
		ownPrompt, readerPrompt, "/api/v1/collections/Veils/prompts", "/api/v1/collections/Veils/prompts?status=filled",
		"/api/v1/collections/Veils/prompts/" + opid, "/api/v1/collections/Veils/prompts/" + rpid, "/api/v1/me/claims", "/users/curious/claims"}

	// A work's bookmarks, a saved search of the masked work's tag and the
	// unsubscribe page of its digest.
	reader.post(veiled+"/bookmarks", url.Values{"notes": {"A fine masked tale"}, "tags": {"masks"}}).status_(t, 200)
	reader.post("/account/searches", url.Values{"name": {"Masks"}, "freeform": {"Masked Ball"}, "digest": {"daily"}}).status_(t, 200)
	curious, err := a.Site.User(context.Background(), "curious")
	if err != nil {
		t.Fatal(err)
	}
	saved, err := a.Site.SavedSearches(context.Background(), curious)
	if err != nil || len(saved) != 1 {
		t.Fatalf("saved searches %v, %v", saved, err)
	}
	unsub, err := a.Site.DigestUnsubscribeToken(context.Background(), curious.ID, []int64{saved[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	seeds = append(seeds, veiled+"/bookmarks", veiled+"/bookmarks?bookmark_tag=masks", hidden+"/bookmarks", "/unsubscribe/digest/"+unsub,
		"/account/searches", "/users/keeper/pseuds/keeper", "/collections/Veils/works?sort=title")
	readers := map[string]*browser{"guest": r.browser(), "curious": reader}
	routes := map[string]bool{}
	fetched := 0
	for who, b := range readers {
		seen := map[string]bool{}
		queue := append([]string(nil), seeds...)
		for len(queue) > 0 && len(seen) < 600 {
			p := queue[0]
			queue = queue[1:]
			if seen[p] {
				continue
			}
			seen[p] = true
			body, ctype, status := fetchAll(t, b, p)
			if status >= 500 {
				t.Errorf("%s: %s answered %d", who, p, status)
			}
			fetched++
			routes[routeOf(p)] = true
			low := strings.ToLower(body)
			asked, _ := url.QueryUnescape(strings.ToLower(p))
			for _, s := range secrets {
				s = strings.ToLower(s)
				if strings.Contains(asked, s) {
					// The page may echo what was asked for (a search box,
					// an unknown tag's name): it must find nothing.
					for _, title := range []string{"veiled tale", "hidden orchard", "/works/" + vid + `"`, "/works/" + hid + `"`} {
						if strings.Contains(low, title) {
							t.Errorf("%s finds %q by asking %s", who, title, p)
						}
					}
					continue
				}
				if strings.Contains(low, s) {
					t.Errorf("%s sees %q on %s", who, s, p)
				}
			}
			if strings.Contains(ctype, "html") {
				for _, l := range linksIn(body) {
					if !seen[l] && keepLink(l) {
						queue = append(queue, l)
					}
				}
			}
		}
	}
	// The inbox must not tell the creator's follower of the anonymous work.
	reader.get("/inbox").lacks(t, "posted a new work")
	// The recipient hears of the gift, under "Anonymous".
	recipient.get("/inbox").has(t, "Veiled Tale", "Anonymous")

	// The creator's own pages name them, and must not show the works.
	for who, b := range readers {
		for _, p := range []string{"/users/hiddenhand", "/users/hiddenhand/profile", "/api/v1/users/hiddenhand", "/users/hiddenhand/works", "/users/hiddenhand/works?sort=title",
			"/users/hiddenhand/feed.atom", "/users/hiddenhand/bookmarks", "/users/hiddenhand/series", "/users/hiddenhand/gifts",
			"/users/hiddenhand/collections", "/api/v1/users/hiddenhand/bookmarks", "/api/v1/users/hiddenhand/pseuds"} {
			body, _, _ := fetchAll(t, b, p)
			fetched++
			routes[routeOf(p)] = true
			for _, s := range []string{"Veiled Tale", "Hidden Orchard", "/works/" + vid + `"`, "/works/" + hid + `"`, "Masked Cycle", series + `"`} {
				if strings.Contains(body, s) {
					t.Errorf("%s sees %q on the creator's page %s", who, s, p)
				}
			}
		}
	}
	// The creator and the maintainer still see who wrote it.
	creator.get("/users/hiddenhand/works").has(t, "Veiled Tale", "Hidden Orchard")
	keeper.get(veiled).has(t, "hiddenhand")
	keeper.get(hidden).has(t, "Hidden Orchard", "hiddenhand")
	t.Logf("anonymity walk: %d responses over %d routes, 2 readers", fetched, len(routes))
	if len(routes) < 40 {
		t.Errorf("the walk reached only %d routes", len(routes))
	}
	_ = context.Background
	_ = site.AnonymousCreator
}

var chapterLinkRe = regexp.MustCompile(`action="(/works/\d+/chapters/\d+)/comments"`)

func firstChapterPath(t *testing.T, body string) string {
	t.Helper()
	m := chapterLinkRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no chapter link on the work page")
	}
	return m[1]
}

var hrefRe = regexp.MustCompile(`href="(/[^"#]*)`)

func linksIn(body string) []string {
	var out []string
	for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return out
}

// keepLink skips links that change state on GET-less paths or only
// repeat a listing page by page.
func keepLink(l string) bool {
	for _, bad := range []string{"/logout", "/static/", "page=", "/users/hiddenhand"} {
		if strings.Contains(l, bad) {
			return bad == "/users/hiddenhand" // a link to the creator is a leak: follow it so the name shows
		}
	}
	return true
}

var idRe = regexp.MustCompile(`/\d+`)

func routeOf(p string) string {
	p, _, _ = strings.Cut(p, "?")
	return idRe.ReplaceAllString(p, "/N")
}

// fetchAll gets a path and returns its text: an EPUB's files unpacked.
func fetchAll(t *testing.T, b *browser, p string) (string, string, int) {
	t.Helper()
	resp, err := b.c.Get(b.r.srv.URL + p)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	ctype := resp.Header.Get("Content-Type")
	if strings.Contains(ctype, "epub") || bytes.HasPrefix(raw, []byte("PK")) {
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatalf("%s: not a zip: %v", p, err)
		}
		var all strings.Builder
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			rc.Close()
			all.Write(data)
		}
		return all.String(), ctype, resp.StatusCode
	}
	return string(raw), ctype, resp.StatusCode
}

var _ = cookiejar.New
