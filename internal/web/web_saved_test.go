package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/jobs"
	"quire/internal/listing"
	"quire/internal/site"
	"quire/internal/store/testdb"
	"quire/internal/web"
)

// A reader saves a listing from its page, finds it on /account/searches,
// asks for a daily digest; the digest mail goes out over SMTP once per day
// with the new works they may see, and never a draft, a restricted work
// to a guest, a muted, blocked or hidden work, the reader's own, or an
// anonymous work's creator. A second node running the same pass sends
// nothing more.
func TestSavedSearchDigestOverSMTP(t *testing.T) {
	sink := newSMTPSink(t)
	r := openMailRig(t, testdb.Location(t), sink)
	var clock atomic.Int64
	clock.Store(time.Now().UTC().Truncate(time.Second).Unix())
	r.site.Now = func() time.Time { return time.Unix(clock.Load(), 0).UTC() }
	advance := func(d time.Duration) { clock.Add(int64(d / time.Second)) }
	ctx := context.Background()

	reader := r.browser()
	reader.signup("lamplighter")
	author, muted, blocked, veiler := r.browser(), r.browser(), r.browser(), r.browser()
	author.signup("harbourwright")
	muted.signup("mutedhand")
	blocked.signup("blockedhand")
	veiler.signup("veilhand")
	veiler.post("/collections", url.Values{"name": {"Veils"}, "title": {"Veil Fest"}, "open": {"1"}, "anonymous": {"1"}}).status_(t, 200)
	reader.post("/account/mutes", url.Values{"users": {"mutedhand"}}).status_(t, 200)
	lamplighter, err := r.site.User(ctx, "lamplighter")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.site.Block(ctx, lamplighter, "blockedhand"); err != nil {
		t.Fatal(err)
	}

	author.postWork(url.Values{"title": {"Seed Lantern"}}) // before the search: never in a digest
	advance(time.Minute)
	// Save from the listing's own form: the listing's parameters go along.
	listingPage := reader.get("/tags/Lantern%20Tales/works?complete=false&sort=kudos&page=2").status_(t, 200)
	listingPage.has(t, `Save this search`, `name="sort" value="kudos"`, `name="tag" value="Lantern Tales"`).lacks(t, `name="page" value="2"`)
	reader.post("/account/searches", url.Values{"name": {"Lantern  tales\x00 WIP"}, "tag": {"Lantern Tales"}, "sort": {"kudos"}, "digest": {"daily"}}).
		status_(t, 200).has(t, "Search saved.", "Lantern tales WIP", "tag: Lantern Tales")
	searches, err := r.site.SavedSearches(ctx, lamplighter)
	if err != nil || len(searches) != 1 || searches[0].Digest != "daily" {
		t.Fatalf("searches %+v, %v", searches, err)
	}

	advance(time.Minute)
	post := func(b *browser, title string, extra url.Values) string {
		t.Helper()
		form := url.Values{"title": {title}}
		for k, v := range extra {
			form[k] = v
		}
		return b.postWork(form)
	}
	post(author, "Harbour Lights", nil)
	post(author, "Members Tide", url.Values{"restricted": {"1"}})
	post(author, "Unlit Draft", url.Values{"action": {"draft"}})
	post(author, "Other Shore", url.Values{"fandom": {"Cartographers"}})
	hideMe := post(author, "Shunned Quay", nil)
	post(muted, "Muted Mooring", nil)
	post(blocked, "Blocked Berth", nil)
	post(veiler, "Veiled Lantern", url.Values{"collections": {"Veils"}})
	post(reader, "My Own Lamp", nil)
	reader.post("/account/hidden", url.Values{"work_id": {strings.TrimPrefix(hideMe, "/works/")}})

	advance(time.Hour)
	rep, err := r.site.RunDigests(ctx, r.site.Now())
	if err != nil || rep.Mailed != 1 {
		t.Fatalf("first pass %+v, %v", rep, err)
	}
	// A second node's pass in the same day sends nothing.
	ix, err := listing.Build(ctx, r.st, nil)
	if err != nil {
		t.Fatal(err)
	}
	node2 := site.New(r.st, ix, jobs.NewRunner(r.st, nil), nil, r.site.BaseURL)
	if rep, err := node2.RunDigests(ctx, r.site.Now()); err != nil || rep != (site.DigestReport{}) {
		t.Fatalf("second node's pass %+v, %v", rep, err)
	}
	r.runJobs()
	msgs := sink.messages()
	if len(msgs) != 1 || msgs[0].To[0] != "lamplighter@example.test" {
		t.Fatalf("sent %d messages: %+v", len(msgs), msgs)
	}
	m := parseMail(t, msgs[0].Data)
	if !strings.Contains(m.Subject, "daily digest: 3 new works") {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{"Lantern tales WIP (3 new)", "Harbour Lights", "Members Tide", "Veiled Lantern", "by Anonymous", r.srv.URL + "/account/searches"} {
		if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, strings.ReplaceAll(want, "“", "")) {
			t.Errorf("digest lacks %q:\n%s", want, m.Text)
		}
	}
	for _, bad := range []string{"Seed Lantern", "Unlit Draft", "Other Shore", "Shunned Quay", "Muted Mooring", "Blocked Berth", "My Own Lamp", "veilhand"} {
		if strings.Contains(m.Text, bad) || strings.Contains(m.HTML, bad) {
			t.Errorf("digest names %q:\n%s", bad, m.Text)
		}
	}

	// Later the same day: nothing more, even with new works.
	post(author, "Evening Tide", nil)
	advance(time.Minute)
	if rep, _ := r.site.RunDigests(ctx, r.site.Now()); rep != (site.DigestReport{}) {
		t.Fatalf("a second pass the same day did %+v", rep)
	}
	// The next day: only what is new since the last digest.
	advance(24 * time.Hour)
	if rep, err := r.site.RunDigests(ctx, r.site.Now()); err != nil || rep.Mailed != 1 {
		t.Fatalf("next day's pass %+v, %v", rep, err)
	}
	r.runJobs()
	if msgs = sink.messages(); len(msgs) != 2 {
		t.Fatalf("%d messages after two days", len(msgs))
	}
	m = parseMail(t, msgs[1].Data)
	if !strings.Contains(m.Text, "Evening Tide") || strings.Contains(m.Text, "Harbour Lights") || !strings.Contains(m.Subject, "1 new work ") {
		t.Errorf("second digest %q:\n%s", m.Subject, m.Text)
	}
	// A day with nothing new is recorded without a mail.
	advance(24 * time.Hour)
	if rep, _ := r.site.RunDigests(ctx, r.site.Now()); rep.Empty != 1 || rep.Mailed != 0 {
		t.Fatalf("an empty day's pass %+v", rep)
	}
	// Turned off: no digest at all.
	id := searches[0].ID
	reader.post(fmt.Sprintf("/account/searches/%d/edit", id), url.Values{"name": {"Lantern tales WIP"}, "digest": {"off"}}).status_(t, 200).has(t, "Search updated.")
	post(author, "Quiet Night", nil)
	advance(24 * time.Hour)
	if rep, _ := r.site.RunDigests(ctx, r.site.Now()); rep != (site.DigestReport{}) {
		t.Fatalf("a pass after the digest was turned off did %+v", rep)
	}
	r.runJobs()
	if n := len(sink.messages()); n != 2 {
		t.Fatalf("%d messages after the digest was turned off", n)
	}
}

// A weekly digest goes out once per ISO week.
func TestSavedSearchWeeklyDigest(t *testing.T) {
	sink := newSMTPSink(t)
	r := openMailRig(t, testdb.Location(t), sink)
	monday := time.Date(2030, 6, 3, 0, 0, 30, 0, time.UTC) // a Monday
	var clock atomic.Int64
	clock.Store(monday.Add(-time.Hour).Unix())
	r.site.Now = func() time.Time { return time.Unix(clock.Load(), 0).UTC() }
	ctx := context.Background()
	reader := r.browser()
	reader.signup("weekreader")
	author := r.browser()
	author.signup("weekwriter")
	reader.post("/account/searches", url.Values{"name": {"All of it"}, "digest": {"weekly"}}).status_(t, 200).has(t, "Search saved.")
	clock.Add(60)
	author.postWork(url.Values{"title": {"Sunday Sailing"}})
	for _, at := range []time.Time{monday, monday.Add(26 * time.Hour), monday.Add(6 * 24 * time.Hour)} {
		clock.Store(at.Unix())
		rep, err := r.site.RunDigests(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %+v", at, rep)
	}
	r.runJobs()
	msgs := sink.messages()
	if len(msgs) != 1 || !strings.Contains(parseMail(t, msgs[0].Data).Text, "Sunday Sailing") {
		t.Fatalf("a week of passes sent %d messages", len(msgs))
	}
	if site.DigestPeriod("weekly", monday) != "weekly:2030-W23" || site.DigestPeriod("daily", monday) != "daily:2030-06-03" {
		t.Errorf("periods %s %s", site.DigestPeriod("weekly", monday), site.DigestPeriod("daily", monday))
	}
}

var feedLinkRe = regexp.MustCompile(`value="(http://[^"]+/searches/[^"/]+/feed\.atom)"`)

// The account page: rename, default, the private feed (which shows what
// its owner sees, and stops working when replaced), delete; limits and
// bad input are 4xx with a message.
func TestSavedSearchesPage(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("quillwright")
	author.postWork(url.Values{"title": {"Open Lantern"}})
	author.postWork(url.Values{"title": {"Members Lantern"}, "restricted": {"1"}})
	author.postWork(url.Values{"title": {"Far Shore"}, "fandom": {"Cartographers"}})

	reader := r.browser()
	reader.signup("searcher")
	reader.get("/works").status_(t, 200).has(t, "Save this search")
	r.browser().get("/works").lacks(t, "Save this search")
	reader.post("/account/searches", url.Values{"name": {"Lanterns"}, "fandom": {"Lantern Tales"}}).status_(t, 200).has(t, "Search saved.", "fandom: Lantern Tales")
	p := reader.get("/account/searches").status_(t, 200)
	feed := feedLinkRe.FindStringSubmatch(p.body)
	if feed == nil {
		t.Fatalf("no feed link on %s", p.body)
	}
	feedPath := strings.TrimPrefix(feed[1], "http://quire.test")
	guest := r.browser()
	fp := guest.get(feedPath).status_(t, 200).has(t, "Open Lantern", "Members Lantern", `>Quire: Lanterns</title>`).lacks(t, "Far Shore")
	_ = fp
	id := regexp.MustCompile(`id="search-(\d+)"`).FindStringSubmatch(p.body)[1]

	// Default of /works: bare /works opens it; ?default=off is all works.
	reader.post("/account/searches/"+id+"/edit", url.Values{"name": {"Lantern works"}, "default": {"true"}, "digest": {"off"}}).status_(t, 200).has(t, "Search updated.", "Lantern works", "(default)")
	reader.get("/works").status_(t, 200).has(t, "Showing your default search", "Lantern works", "Open Lantern").lacks(t, "Far Shore")
	reader.get("/works?default=off").status_(t, 200).has(t, "Far Shore").lacks(t, "Showing your default search")
	guest.get("/works").has(t, "Far Shore")

	// A new feed link: the old one stops working.
	reader.post("/account/searches/"+id+"/token", nil).status_(t, 200).has(t, "new feed link")
	guest.get(feedPath).status_(t, 404).has(t, "feed link is not valid")

	// Bad input: each a 4xx with a message, nothing saved.
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"name": {"  "}}, "can&#39;t be blank"},
		{url.Values{"name": {strings.Repeat("n", archive.MaxSavedSearchName+1)}}, "the limit is 100"},
		{url.Values{"name": {"x"}, "digest": {"hourly"}}, "must be off, daily or weekly"},
		{url.Values{"name": {"x"}, "tag": {"No Such Tag Anywhere"}}, "No Such Tag Anywhere"},
		{url.Values{"name": {"x"}, "sort": {"sideways"}}, "is not a sort"},
		{url.Values{"name": {"Lantern works"}}, "already have a saved search named"},
	} {
		pg := reader.post("/account/searches", c.form)
		if pg.status < 400 || pg.status >= 500 {
			t.Errorf("%v: status %d", c.form, pg.status)
		}
		pg.has(t, c.want)
	}
	// Someone else's search is not found; nor is a malformed id.
	other := r.browser()
	other.signup("snoop")
	other.post("/account/searches/"+id+"/edit", url.Values{"name": {"mine now"}}).status_(t, 404)
	other.post("/account/searches/"+id+"/delete", nil).status_(t, 404)
	other.post("/account/searches/abc/delete", nil).status_(t, 404)

	// The limit per reader.
	for i := 1; i < archive.MaxSavedSearches; i++ {
		reader.post("/account/searches", url.Values{"name": {fmt.Sprintf("search %d", i)}}).status_(t, 200)
	}
	reader.post("/account/searches", url.Values{"name": {"one too many"}}).status_(t, 422).has(t, "the most one reader may")

	reader.post("/account/searches/"+id+"/delete", nil).status_(t, 200).has(t, "Search deleted.").lacks(t, "Lantern works")
	if resp, err := http.Get(r.srv.URL + "/works"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("guest /works: %v", err)
	}
}

// "Save this search" on a collection's and a pseud's listing keeps the
// listing's scope: the saved search opens that listing again, and its
// feed lists only that collection's (or pseud's) works.
func TestSavedSearchOfCollectionAndPseud(t *testing.T) {
	r := newRig(t, web.Options{})
	author := r.browser()
	author.signup("tidewright")
	author.post("/collections", url.Values{"name": {"Harbour_Days"}, "title": {"Harbour Days"}, "open": {"1"}}).status_(t, 200)
	author.post("/users/tidewright/pseuds", url.Values{"name": {"Gull Song"}}).status_(t, 200)
	author.postWork(url.Values{"title": {"Quay Lamps"}, "collections": {"Harbour_Days"}})
	author.postWork(url.Values{"title": {"Gull Letters"}, "pseud": {"Gull Song"}})
	author.postWork(url.Values{"title": {"Plain Oars"}})

	reader := r.browser()
	reader.signup("harbourreader")
	r.browser().get("/collections/Harbour_Days/works").status_(t, 200).lacks(t, "Save this search")
	cp := reader.get("/collections/Harbour_Days/works?sort=title").status_(t, 200)
	cp.has(t, "Save this search", `name="collection" value="Harbour_Days"`, `name="sort" value="title"`)
	pp := reader.get("/users/tidewright/pseuds/Gull%20Song").status_(t, 200)
	pp.has(t, "Save this search", `name="pseud" value="tidewright/Gull Song"`)

	reader.post("/account/searches", url.Values{"name": {"Harbour"}, "collection": {"Harbour_Days"}, "sort": {"title"}}).
		status_(t, 200).has(t, "Search saved.", "collection: Harbour_Days")
	reader.post("/account/searches", url.Values{"name": {"Gulls"}, "pseud": {"tidewright/Gull Song"}}).
		status_(t, 200).has(t, "Search saved.", "pseud: tidewright/Gull Song")
	// A collection or pseud that does not exist is refused, with a message.
	reader.post("/account/searches", url.Values{"name": {"x"}, "collection": {"No_Such_Fest"}}).status_(t, 422).has(t, "there is no collection")
	reader.post("/account/searches", url.Values{"name": {"y"}, "pseud": {"tidewright/Nobody"}}).status_(t, 422).has(t, "there is no pseud")

	p := reader.get("/account/searches").status_(t, 200)
	p.has(t, `href="/collections/Harbour_Days/works?sort=title"`, `href="/users/tidewright/pseuds/Gull%20Song"`)
	feeds := feedLinkRe.FindAllStringSubmatch(p.body, -1)
	if len(feeds) != 2 {
		t.Fatalf("%d feed links on %s", len(feeds), p.body)
	}
	guest := r.browser()
	guest.get(strings.TrimPrefix(feeds[0][1], "http://quire.test")).status_(t, 200).has(t, "Quay Lamps").lacks(t, "Gull Letters", "Plain Oars")
	guest.get(strings.TrimPrefix(feeds[1][1], "http://quire.test")).status_(t, 200).has(t, "Gull Letters").lacks(t, "Quay Lamps", "Plain Oars")

	// Made the default, bare /works opens the collection's listing.
	id := regexp.MustCompile(`id="search-(\d+)"`).FindStringSubmatch(p.body)[1]
	reader.post("/account/searches/"+id+"/edit", url.Values{"name": {"Harbour"}, "default": {"true"}, "digest": {"off"}}).status_(t, 200)
	reader.get("/works").status_(t, 200).has(t, "Showing your default search", "Quay Lamps").lacks(t, "Plain Oars")
}

// The digest mail carries one-click unsubscribe (RFC 8058): a
// List-Unsubscribe header with List-Unsubscribe-Post, and under each search
// a link that stops that search's digest. Neither needs a log-in; GET asks
// and changes nothing, POST stops; a link altered in any way is a 404.
func TestDigestOneClickUnsubscribe(t *testing.T) {
	sink := newSMTPSink(t)
	r := openMailRig(t, testdb.Location(t), sink)
	var clock atomic.Int64
	clock.Store(time.Now().UTC().Truncate(time.Second).Unix())
	r.site.Now = func() time.Time { return time.Unix(clock.Load(), 0).UTC() }
	advance := func(d time.Duration) { clock.Add(int64(d / time.Second)) }
	ctx := context.Background()

	reader, author := r.browser(), r.browser()
	reader.signup("tidereader")
	author.signup("tidewriter")
	author.postWork(url.Values{"title": {"Seed Lamp"}})
	author.postWork(url.Values{"title": {"Seed Map"}, "fandom": {"Cartographers"}})
	advance(time.Minute)
	reader.post("/account/searches", url.Values{"name": {"Lantern news"}, "tag": {"Lantern Tales"}, "digest": {"daily"}}).status_(t, 200)
	reader.post("/account/searches", url.Values{"name": {"Map news"}, "fandom": {"Cartographers"}, "digest": {"daily"}}).status_(t, 200)
	advance(time.Minute)
	author.postWork(url.Values{"title": {"Harbour Lights"}})
	author.postWork(url.Values{"title": {"Coastline Survey"}, "fandom": {"Cartographers"}})
	advance(time.Hour)
	if rep, err := r.site.RunDigests(ctx, r.site.Now()); err != nil || rep.Mailed != 1 {
		t.Fatalf("pass %+v, %v", rep, err)
	}
	r.runJobs()
	msgs := sink.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := parseMail(t, msgs[0].Data)
	header := m.Header.Get("List-Unsubscribe")
	if !strings.HasPrefix(header, "<"+r.srv.URL+"/unsubscribe/digest/") || !strings.HasSuffix(header, ">") {
		t.Fatalf("List-Unsubscribe %q", header)
	}
	if p := m.Header.Get("List-Unsubscribe-Post"); p != "List-Unsubscribe=One-Click" {
		t.Fatalf("List-Unsubscribe-Post %q", p)
	}
	all := strings.Trim(header, "<>")
	links := regexp.MustCompile(`Stop mailing this search: (\S+)`).FindAllStringSubmatch(m.Text, -1)
	if len(links) != 2 || !strings.Contains(m.Text, all) || !strings.Contains(m.HTML, links[0][1]) {
		t.Fatalf("unsubscribe links in the body:\n%s", m.Text)
	}
	lanternStop := strings.TrimPrefix(links[0][1], r.srv.URL)

	digestOf := func() map[string]string {
		u, err := r.site.User(ctx, "tidereader")
		if err != nil {
			t.Fatal(err)
		}
		ss, err := r.site.SavedSearches(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, s := range ss {
			out[s.Name] = s.Digest
		}
		return out
	}
	guest := r.browser()
	// GET asks, names the one search, changes nothing.
	guest.get(lanternStop).status_(t, 200).has(t, "Stop mailing these searches?", "Lantern news").lacks(t, "Map news")
	if d := digestOf(); d["Lantern news"] != "daily" {
		t.Fatalf("GET changed the digest: %v", d)
	}
	// Altered links: another signature, another reader, another search, cut short.
	tok := strings.TrimPrefix(lanternStop, "/unsubscribe/digest/")
	parts := strings.Split(tok, ".") // reader, searches, signature
	if len(parts) != 3 {
		t.Fatalf("token %q", tok)
	}
	flip := "A"
	if strings.HasSuffix(parts[2], "A") {
		flip = "B"
	}
	for _, bad := range []string{
		parts[0] + "." + parts[1] + "." + parts[2][:len(parts[2])-1] + flip,
		parts[0] + "1." + parts[1] + "." + parts[2],
		parts[0] + "." + parts[1] + "9." + parts[2],
		tok[:len(tok)-5],
		"nonsense",
	} {
		guest.get("/unsubscribe/digest/"+bad).status_(t, 404).has(t, "unsubscribe link is not valid")
		guest.post("/unsubscribe/digest/"+bad, url.Values{}).status_(t, 404)
	}
	if d := digestOf(); d["Lantern news"] != "daily" || d["Map news"] != "daily" {
		t.Fatalf("a bad link changed a digest: %v", d)
	}
	// The page's button stops that search's digest only.
	guest.post(lanternStop, url.Values{}).status_(t, 200).has(t, "Digest stopped", "Lantern news")
	if d := digestOf(); d["Lantern news"] != "off" || d["Map news"] != "daily" {
		t.Fatalf("after the per-search link: %v", d)
	}
	// The header's one-click POST, as a mail client sends it (from another
	// origin, without cookies), stops every search the mail lists.
	req, _ := http.NewRequest("POST", all, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://webmail.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("one-click POST: %d", resp.StatusCode)
	}
	if d := digestOf(); d["Lantern news"] != "off" || d["Map news"] != "off" {
		t.Fatalf("after the one-click POST: %v", d)
	}
	// Again: nothing changes, still a 200.
	guest.post(strings.TrimPrefix(all, r.srv.URL), url.Values{}).status_(t, 200).has(t, "Digest stopped")
	// No digest the next day.
	author.postWork(url.Values{"title": {"Evening Tide"}})
	advance(24 * time.Hour)
	if rep, _ := r.site.RunDigests(ctx, r.site.Now()); rep.Mailed != 0 {
		t.Fatalf("a digest after unsubscribing: %+v", rep)
	}
}
