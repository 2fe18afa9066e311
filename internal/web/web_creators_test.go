package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quire/internal/web"
)

func TestCoCreatorPages(t *testing.T) {
	r := newRig(t, web.Options{})
	alice := r.browser()
	alice.signup("alice")
	bob := r.browser()
	bob.signup("bob")
	reader := r.browser()
	reader.signup("reader")
	// The reader follows bob; bob's new co-creation reaches them only
	// when bob accepts (and then through the next chapter).
	reader.post("/subscriptions", url.Values{"kind": {"user"}, "target": {"bob"}}).status_(t, 200)

	// Bad invitations: a 422 with the message, nothing posted.
	form := url.Values{"title": {"Refused Post"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Text."}, "action": {"post"}}
	form.Set("co_creators", "nobody_at_all")
	alice.post("/works", form).status_(t, http.StatusUnprocessableEntity).has(t, "there is no pseud named")
	form.Set("co_creators", "alice")
	alice.post("/works", form).status_(t, http.StatusUnprocessableEntity).has(t, "you can&#39;t invite yourself")
	alice.get("/users/alice/works").lacks(t, "Refused Post")

	path := alice.postWork(url.Values{"title": {"Two Hands"}, "co_creators": {"bob"}})
	id := strings.TrimPrefix(path, "/works/")
	r.browser().get(path).has(t, "Two Hands").lacks(t, `/users/bob/pseuds/bob`)
	r.browser().get("/users/bob/works").lacks(t, "Two Hands")
	alice.get(path+"/edit").has(t, "Invited, awaiting an answer: bob")
	bob.get(path+"/edit").status_(t, http.StatusForbidden)

	// Bob's inbox and mail.
	bob.get("/inbox").has(t, "invited you to be a co-creator of “Two Hands”", `href="/account/creator_invitations"`)
	if _, err := r.site.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.mailLog.String(), "invited you to be a co-creator") {
		t.Fatalf("no invitation mail: %s", r.mailLog.String())
	}
	p := bob.get("/account/creator_invitations").has(t, "alice", "Two Hands", "Accept", "Decline")
	m := regexp.MustCompile(`/account/creator_invitations/(\d+)/accept`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("no accept form")
	}
	// Someone else can't accept it.
	reader.post("/account/creator_invitations/"+m[1]+"/accept", nil).status_(t, http.StatusNotFound)
	bob.post("/account/creator_invitations/"+m[1]+"/accept", nil).status_(t, 200).has(t, "Two Hands", `/users/bob/pseuds/bob`)

	// At once: the byline, bob's creator page, bob's feed.
	r.browser().get(path).has(t, `/users/alice/pseuds/alice`, `/users/bob/pseuds/bob`)
	r.browser().get("/users/bob/works").has(t, "Two Hands")
	r.browser().get("/users/bob/feed.atom").has(t, "Two Hands")
	bob.get("/account/creator_invitations").has(t, "You have no pending invitations")

	// Both edit.
	bob.post(path+"/edit", url.Values{"title": {"Two Hands, Edited"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "action": {"save"}}).status_(t, 200).has(t, "Two Hands, Edited")
	alice.get(path+"/chapters/new").status_(t, 200)
	bob.post(path+"/chapters/new", url.Values{"body": {"Bob's chapter."}, "action": {"post"}}).status_(t, 200).has(t, "Bob&#39;s chapter.")
	reader.get("/inbox").has(t, "Two Hands, Edited")

	// Bob leaves; alice, the last creator, can't.
	bob.get(path+"/edit").has(t, "Remove me as a co-creator")
	bob.post(path+"/leave", nil).status_(t, 200)
	r.browser().get(path).lacks(t, `/users/bob/pseuds/bob`)
	r.browser().get("/users/bob/works").lacks(t, "Two Hands")
	alice.get(path+"/edit").lacks(t, "Remove me as a co-creator")
	alice.post(path+"/leave", nil).status_(t, http.StatusUnprocessableEntity)
	_ = id
}

func TestCoCreatorRefusedAndBlocked(t *testing.T) {
	r := newRig(t, web.Options{})
	alice := r.browser()
	alice.signup("alice")
	carol := r.browser()
	carol.signup("carol")
	carol.post("/account/preferences", url.Values{"refuse_cocreator_invitations": {"1"}}).status_(t, 200)
	carol.get("/account/preferences").has(t, `name="refuse_cocreator_invitations" value="1" checked`)
	form := url.Values{"title": {"Lonely"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Text."}, "action": {"post"}, "co_creators": {"carol"}}
	alice.post("/works", form).status_(t, http.StatusUnprocessableEntity).has(t, "does not accept co-creator invitations")
	carol.get("/inbox").lacks(t, "Lonely")
}
