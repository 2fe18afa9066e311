package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
	"quire/internal/web"
)

var newsIDRe = regexp.MustCompile(`^/admin_posts/(\d+)$`)

// postNews posts through the form and returns the post's path.
func (b *browser) postNews(title, body, format string) string {
	b.t.Helper()
	p := b.post("/admin_posts", url.Values{"title": {title}, "body": {body}, "format": {format}}).status_(b.t, 200)
	if !newsIDRe.MatchString(p.url) {
		b.t.Fatalf("posting news landed on %s", p.url)
	}
	return p.url
}

func TestNewsAdminRoutesNeedAnAdmin(t *testing.T) {
	r := newRig(t, web.Options{})
	boss := r.admin("boss")
	post := boss.postNews("Welcome", "Hello, readers.", "html")
	reader := r.browser()
	reader.signup("reader")
	guest := r.browser()

	for _, rt := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/admin_posts/new", nil},
		{"POST", "/admin_posts", url.Values{"title": {"Spam"}, "body": {"Spam"}}},
		{"GET", post + "/edit", nil},
		{"POST", post + "/edit", url.Values{"title": {"Spam"}, "body": {"Spam"}}},
		{"POST", post + "/delete", nil},
		{"GET", "/admin/banner", nil},
		{"POST", "/admin/banner", url.Values{"text": {"Spam"}}},
	} {
		do := func(b *browser) page {
			if rt.method == "GET" {
				return b.get(rt.path)
			}
			return b.post(rt.path, rt.form)
		}
		if p := do(guest); p.status != 401 || !strings.Contains(p.body, `name="return_to"`) {
			t.Errorf("guest %s %s: %d on %s, not the log-in form with 401", rt.method, rt.path, p.status, p.url)
		}
		do(reader).status_(t, 403)
	}
	// Nothing was written.
	guest.get(post).status_(t, 200).has(t, "Welcome").lacks(t, "Spam")
	guest.get("/admin_posts").status_(t, 200).lacks(t, "Spam")
	guest.get("/").status_(t, 200).lacks(t, "Spam", "site-banner")
	// Admin pages are not kept by shared caches.
	resp := boss.fetch("/admin_posts/new", nil).want(t, 200)
	if cc := resp.header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("admin page Cache-Control %q", cc)
	}
}

func TestNewsPostEditDeleteAndComments(t *testing.T) {
	r := newRig(t, web.Options{})
	boss := r.admin("boss")
	guest := r.browser()

	// Bad input: a 422 with the reason, nothing written.
	boss.post("/admin_posts", url.Values{"title": {"  "}, "body": {"Text"}}).status_(t, 422).has(t, "Title can&#39;t be blank")
	boss.post("/admin_posts", url.Values{"title": {strings.Repeat("t", 256)}, "body": {"Text"}}).status_(t, 422).has(t, "the limit is 255")
	boss.post("/admin_posts", url.Values{"title": {"Empty"}, "body": {"<script>alert(1)</script>"}}).status_(t, 422).has(t, "no text")
	guest.get("/admin_posts").status_(t, 200).has(t, "There is no news yet.")

	// Markdown, sanitized as works are.
	post := boss.postNews("Server move", "We *moved*.\n\n<script>alert(1)</script><a href=\"javascript:alert(1)\">x</a>", "markdown")
	p := guest.get(post).status_(t, 200).has(t, "Server move", "<em>moved</em>", "by boss").lacks(t, "<script", "javascript:", "Edit</a>")
	_ = p
	boss.get(post).status_(t, 200).has(t, "Edit</a>", "Delete this post")

	// Edit.
	boss.get(post+"/edit").status_(t, 200).has(t, `value="Server move"`, "We *moved*.")
	boss.post(post+"/edit", url.Values{"title": {""}, "body": {"x"}}).status_(t, 422)
	boss.post(post+"/edit", url.Values{"title": {"Server moved"}, "body": {"All **done**."}, "format": {"markdown"}}).status_(t, 200).has(t, "Server moved", "<strong>done</strong>")
	guest.get("/admin_posts").status_(t, 200).has(t, "Server moved").lacks(t, "Server move<")

	// Comments: logged-in readers only, sanitized, delete own; admins delete any.
	guest.get(post).has(t, "Log in</a> to comment").lacks(t, `name="body"`)
	if p := guest.post(post+"/comments", url.Values{"body": {"Guest words"}}); p.url != "/login" {
		t.Fatalf("a guest's comment landed on %s", p.url)
	}
	ann, bo := r.browser(), r.browser()
	ann.signup("ann")
	bo.signup("bo")
	ann.post(post+"/comments", url.Values{"body": {"<p>Thanks!</p><script>x()</script>"}}).status_(t, 200).has(t, "<p>Thanks!</p>", "Delete comment").lacks(t, "<script>x()")
	ann.post(post+"/comments", url.Values{"body": {"   "}}).status_(t, 422)
	ann.post(post+"/comments", url.Values{"body": {strings.Repeat("a", archive.MaxCommentChars+1)}}).status_(t, 422)
	bo.post(post+"/comments", url.Values{"body": {"Second **comment**"}, "format": {"markdown"}}).status_(t, 200).has(t, "<strong>comment</strong>")
	page := guest.get(post).status_(t, 200).has(t, "Thanks!", "Comments (2)").lacks(t, "Delete comment")
	ids := regexp.MustCompile(`id="comment-(\d+)"`).FindAllStringSubmatch(page.body, -1)
	if len(ids) != 2 {
		t.Fatalf("comment ids %v", ids)
	}
	annComment, boComment := ids[0][1], ids[1][1]
	bo.post("/admin_post_comments/"+annComment+"/delete", nil).status_(t, 403)
	guest.post("/admin_post_comments/"+annComment+"/delete", nil)
	guest.get(post).has(t, "Thanks!")
	ann.post("/admin_post_comments/"+annComment+"/delete", nil).status_(t, 200)
	guest.get(post).lacks(t, "Thanks!").has(t, "Second")
	boss.post("/admin_post_comments/"+boComment+"/delete", nil).status_(t, 200)
	guest.get(post).lacks(t, "Second").has(t, "Comments")
	ann.post("/admin_post_comments/"+annComment+"/delete", nil).status_(t, 404)
	ann.post("/admin_posts/999/comments", url.Values{"body": {"Lost"}}).status_(t, 404)

	// Delete.
	boss.post(post+"/delete", nil).status_(t, 200)
	guest.get(post).status_(t, 404)
	guest.get("/admin_posts").has(t, "There is no news yet.")
}

func TestNewsListingHomeAndFeed(t *testing.T) {
	r := newRig(t, web.Options{})
	boss := r.admin("boss")
	guest := r.browser()
	ctx := context.Background()
	u, err := r.site.Authenticate(ctx, "boss", "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := 1; i <= site.NewsPerPage+2; i++ {
		r.site.Now = func() time.Time { return start.Add(time.Duration(i) * time.Hour) }
		if _, err := r.site.PostNews(ctx, u, site.NewsInput{Title: fmt.Sprintf("Bulletin %02d", i), Body: fmt.Sprintf("Body of bulletin %02d.", i)}); err != nil {
			t.Fatal(err)
		}
	}
	r.site.Now = func() time.Time { return time.Now().UTC() }

	// Newest first, paged.
	p1 := guest.get("/admin_posts").status_(t, 200).has(t, "Bulletin 12", "Bulletin 03", "Page 1 of 2").lacks(t, "Bulletin 02", "Bulletin 01")
	if strings.Index(p1.body, "Bulletin 12") > strings.Index(p1.body, "Bulletin 11") {
		t.Error("news is not newest first")
	}
	guest.get("/admin_posts?page=2").status_(t, 200).has(t, "Bulletin 02", "Bulletin 01").lacks(t, "Bulletin 03")
	guest.get("/admin_posts?page=3").status_(t, 404)
	guest.get("/admin_posts?page=x").status_(t, 422)

	// The front page shows the latest two.
	guest.get("/").status_(t, 200).has(t, "Bulletin 12", "Bulletin 11").lacks(t, "Bulletin 10")

	// The feed: the newest posts, parsed by a real feed reader.
	boss.get("/admin_posts").has(t, "Post news")
	f := guest.atomFeed("/admin_posts/feed.atom")
	if len(f.Items) != site.NewsPerPage+2 || f.Items[0].Title != "Bulletin 12" || f.Items[len(f.Items)-1].Title != "Bulletin 01" {
		t.Fatalf("feed items: %v", titles(f))
	}
	it := f.Items[0]
	if !strings.HasPrefix(it.Link, "http://quire.test/admin_posts/") || !strings.Contains(it.Description, "Body of bulletin 12.") ||
		len(it.Authors) != 1 || it.Authors[0].Name != "boss" || !strings.HasPrefix(it.GUID, "urn:uuid:") || it.PublishedParsed == nil {
		t.Fatalf("feed entry %+v", it)
	}
	if f.FeedLink != "http://quire.test/admin_posts/feed.atom" {
		t.Errorf("feed self link %q", f.FeedLink)
	}
}

func TestBannerShowDismissAndReplace(t *testing.T) {
	r := newRig(t, web.Options{})
	boss := r.admin("boss")
	guest := r.browser()
	reader := r.browser()
	reader.signup("reader")

	boss.get("/admin/banner").status_(t, 200).has(t, "No banner is set.", `<label for="b-text">`)
	boss.post("/admin/banner", url.Values{"text": {"Maintenance at **noon**.<script>x()</script>"}, "format": {"markdown"}}).
		status_(t, 200).has(t, "The banner is set", "<strong>noon</strong>").lacks(t, "<script>x()")
	for _, b := range []*browser{guest, reader} {
		for _, path := range []string{"/", "/works", "/admin_posts", "/login"} {
			b.get(path).has(t, "site-banner", "Maintenance at <strong>noon</strong>", "Dismiss this banner")
		}
	}
	// Over the limit: refused, the old banner stays.
	boss.post("/admin/banner", url.Values{"text": {strings.Repeat("long ", 1000)}}).status_(t, 422).has(t, "the limit is 2,000")
	guest.get("/").has(t, "Maintenance at")

	// A guest dismisses it (a plain form: no script), and is back where
	// they were; the reader still sees it.
	version := regexp.MustCompile(`name="banner" value="(\d+\.\d+)"`).FindStringSubmatch(guest.get("/works").body)
	if version == nil {
		t.Fatal("no version in the dismiss form")
	}
	guest.post("/banner/dismiss", url.Values{"banner": {version[1]}, "return_to": {"/works"}}).status_(t, 200)
	if p := guest.get("/works"); strings.Contains(p.body, "site-banner") {
		t.Fatal("the banner shows after dismissal")
	}
	guest.get("/").lacks(t, "site-banner")
	reader.get("/").has(t, "Maintenance at")
	reader.post("/banner/dismiss", url.Values{"banner": {version[1]}, "return_to": {"https://evil.example/"}}).status_(t, 200)
	reader.get("/").lacks(t, "site-banner")
	guest.post("/banner/dismiss", url.Values{"banner": {"nope"}}).status_(t, 422)

	// A new banner shows again to everyone.
	boss.post("/admin/banner", url.Values{"text": {"New rules posted."}}).status_(t, 200)
	guest.get("/").has(t, "New rules posted.")
	reader.get("/").has(t, "New rules posted.")

	// Empty text removes it.
	boss.post("/admin/banner", url.Values{"text": {""}}).status_(t, 200).has(t, "The banner is removed.")
	guest.get("/").lacks(t, "site-banner", "New rules")
}

// TestBannerReachesOtherNodes: a second node on the same database shows a
// banner set on the first within BannerRefresh.
func TestBannerReachesOtherNodes(t *testing.T) {
	r := newRig(t, web.Options{})
	boss := r.admin("boss")
	r2 := openRig(t, r.dir, web.Options{})
	other := r2.browser()
	other.get("/").lacks(t, "site-banner")
	boss.post("/admin/banner", url.Values{"text": {"Seen everywhere."}}).status_(t, 200)
	deadline := time.Now().Add(site.BannerRefresh + time.Second)
	for !strings.Contains(other.get("/").body, "Seen everywhere.") {
		if time.Now().After(deadline) {
			t.Fatal("the other node never showed the banner")
		}
		time.Sleep(100 * time.Millisecond)
	}
	boss.post("/admin/banner", url.Values{"text": {""}}).status_(t, 200)
	deadline = time.Now().Add(site.BannerRefresh + time.Second)
	for strings.Contains(other.get("/").body, "site-banner") {
		if time.Now().After(deadline) {
			t.Fatal("the other node kept showing a removed banner")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestNewsCommentRateLimit(t *testing.T) {
	r := newRig(t, web.Options{})
	post := r.admin("boss").postNews("Open thread", "Say hello.", "html")
	chatty := r.browser()
	chatty.signup("chatty")
	for i := 0; i < site.CommentsPerMinute; i++ {
		chatty.post(post+"/comments", url.Values{"body": {fmt.Sprintf("Hello %d", i)}}).status_(t, 200)
	}
	chatty.post(post+"/comments", url.Values{"body": {"One too many"}}).status_(t, 429).has(t, "too fast")
	r.browser().get(post).has(t, fmt.Sprintf("Comments (%d)", site.CommentsPerMinute)).lacks(t, "One too many")
}

// A suspended reader's comment on news is refused with the end of the
// suspension, and not written.
func TestNewsCommentBySuspendedReader(t *testing.T) {
	r := newRig(t, web.Options{})
	boss := r.admin("boss")
	post := boss.postNews("Server news", "We moved.", "html")
	reader := r.browser()
	reader.signup("reader")
	boss.post("/admin/users/reader/suspend", url.Values{"until": {"2099-01-01T00:00"}, "reason": {"cooling off"}}).status_(t, 200)
	reader.post(post+"/comments", url.Values{"body": {"Let me in."}}).status_(t, 403).has(t, "suspended until 2099-01-01")
	r.browser().get(post).status_(t, 200).lacks(t, "Let me in.")
}
