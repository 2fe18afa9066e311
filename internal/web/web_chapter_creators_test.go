package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"quire/internal/web"
)

// chapterPaths lists the work page's chapter links by id (the order they
// were added in).
func chapterPaths(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`href="(/works/\d+/chapters/\d+)"`).FindAllStringSubmatch(body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(a) - len(b) + strings.Compare(a, b)*boolInt(len(a) == len(b)) })
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestChapterCoCreatorPages(t *testing.T) {
	r := newRig(t, web.Options{})
	alice := r.browser()
	alice.signup("alice")
	bob := r.browser()
	bob.signup("bob")
	carol := r.browser()
	carol.signup("carol")
	reader := r.browser()
	reader.signup("reader")
	carol.post("/account/blocked", url.Values{"name": {"alice"}}).status_(t, 200)

	path := alice.postWork(url.Values{"title": {"Relay Tale"}})
	add := func(b *browser, creators string) page {
		return b.post(path+"/chapters/new", url.Values{"body": {"Second part text."}, "chapter_creators": {creators}, "action": {"post"}})
	}
	// Bad names: a 422 with the message, and no chapter.
	add(alice, "nobody_at_all").status_(t, http.StatusUnprocessableEntity).has(t, "there is no pseud named")
	add(alice, "carol").status_(t, http.StatusUnprocessableEntity).has(t, "does not accept co-creator invitations from you")
	var many []string
	for i := 0; i < 21; i++ {
		many = append(many, "name"+strings.Repeat("x", i))
	}
	add(alice, strings.Join(many, ", ")).status_(t, http.StatusUnprocessableEntity).has(t, "at most 20")
	alice.get(path).lacks(t, "Second part text.")

	// A chapter naming bob: an invitation, nothing shown before he accepts.
	alice.get(path+"/chapters/new").has(t, `name="chapter_creators"`)
	add(alice, "alice, bob").status_(t, 200).has(t, "Second part text.")
	chapters := chapterPaths(t, alice.get(path).body)
	if len(chapters) != 2 {
		t.Fatalf("chapters = %v", chapters)
	}
	r.browser().get(chapters[1]).lacks(t, "/users/bob/pseuds/bob", "Chapter by")
	alice.get(chapters[1]+"/edit").has(t, "Invited to this chapter, awaiting an answer: bob")
	bob.get("/inbox").has(t, "chapter 2 of", "Relay Tale")
	if _, err := r.site.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.mailLog.String(), "co-creator of chapter 2 of") {
		t.Fatalf("no chapter invitation mail: %s", r.mailLog.String())
	}
	p := bob.get("/account/creator_invitations").has(t, "chapter 2 of", "Relay Tale")
	m := regexp.MustCompile(`/account/creator_invitations/(\d+)/accept`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("no accept form")
	}
	bob.post("/account/creator_invitations/"+m[1]+"/accept", nil).status_(t, 200)

	// Accepted: bob is a creator of the work (byline, creator page) and of
	// chapter 2; chapter 1 keeps alice alone and says so.
	r.browser().get(path).has(t, "/users/bob/pseuds/bob")
	r.browser().get("/users/bob/works").has(t, "Relay Tale")
	r.browser().get(chapters[0]).has(t, "Chapter by", "/users/alice/pseuds/alice")
	r.browser().get(chapters[1]).lacks(t, "Chapter by")
	full := r.browser().get(path+"?view_full_work=true").has(t, "Chapter by")
	dl := regexp.MustCompile(`href="(/downloads/[^"]+\.html)"`).FindStringSubmatch(full.body)
	if dl == nil {
		t.Fatal("no HTML download link")
	}
	r.browser().get(dl[1]).has(t, "Chapter by alice")

	// Bob edits chapter 2 to credit himself alone.
	bob.get(chapters[1]+"/edit").has(t, `name="chapter_creators"`)
	bob.post(chapters[1]+"/edit", url.Values{"body": {"Second part, revised."}, "chapter_creators": {"bob"}, "action": {"post"}}).status_(t, 200)
	r.browser().get(chapters[1]).has(t, "Chapter by", "/users/bob/pseuds/bob", "Second part, revised.")
	// Not a creator: no edit at all.
	reader.post(chapters[1]+"/edit", url.Values{"body": {"x"}, "chapter_creators": {"reader"}, "action": {"post"}}).status_(t, http.StatusForbidden)

	// Bob leaves: chapter 2 falls back to the work's creators.
	bob.post(path+"/leave", nil).status_(t, 200)
	r.browser().get(chapters[1]).lacks(t, "Chapter by", "/users/bob/pseuds/bob")
	r.browser().get(chapters[0]).lacks(t, "Chapter by")
}
