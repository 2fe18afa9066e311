package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
	"quire/internal/web"
)

// admin makes an admin account (as `quire user add --admin` does) and logs
// a browser in as it.
func (r *rig) admin(name string) *browser {
	r.t.Helper()
	_, err := r.site.Signup(context.Background(), site.SignupInput{Name: name, Email: name + "@example.test",
		Password: "correct horse", Confirmation: "correct horse", Admin: true, Operator: true})
	if err != nil {
		r.t.Fatal(err)
	}
	return r.login(name)
}

func (r *rig) login(name string) *browser {
	r.t.Helper()
	b := r.browser()
	b.post("/login", url.Values{"login": {name}, "password": {"correct horse"}}).status_(r.t, 200).has(r.t, "Log out")
	return b
}

// lastLink runs the mail jobs and returns the token of the last link of
// the kind ("invitation" or "token") in the mail log.
func (r *rig) lastLink(param string) string {
	r.t.Helper()
	if _, err := r.site.Jobs.RunDue(context.Background()); err != nil {
		r.t.Fatal(err)
	}
	ms := regexp.MustCompile(`[?&]`+param+`=([A-Za-z0-9_%-]+)`).FindAllStringSubmatch(r.mailLog.String(), -1)
	if ms == nil {
		r.t.Fatalf("no %s link in the mail log:\n%s", param, r.mailLog.String())
	}
	tok, _ := url.QueryUnescape(ms[len(ms)-1][1])
	return tok
}

func signupForm(name string) url.Values {
	return url.Values{"name": {name}, "email": {name + "@example.test"}, "password": {"correct horse"}, "password_confirmation": {"correct horse"}}
}

func settingsForm(signup string, extra url.Values) url.Values {
	f := url.Values{"signup": {signup}, "new_account_hours": {"24"}, "new_account_works": {"3"}, "review_first_works": {"0"}}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func TestSignupPolicySwitchedWhileRunning(t *testing.T) {
	r := newRig(t, web.Options{})
	admin := r.admin("boss")
	guest := r.browser()

	// open (the default): anyone signs up.
	guest.get("/signup").status_(t, 200).has(t, "Create account", `name="website"`)
	r.browser().signup("early")

	// closed: the page says so and the form is refused, nothing made.
	p := admin.get("/admin/settings").status_(t, 200)
	if !strings.Contains(p.body, `value="open" checked`) {
		t.Fatalf("settings page does not show the open policy:\n%s", p.body)
	}
	admin.post("/admin/settings", settingsForm("closed", nil)).status_(t, 200).has(t, "settings are saved", `value="closed" checked`)
	guest.get("/signup").status_(t, 200).has(t, "Sign-ups are closed").lacks(t, "Create account")
	guest.post("/signup", signupForm("latecomer")).status_(t, 403).has(t, "Sign-ups are closed")
	if _, err := r.store.UserByName(context.Background(), "latecomer"); err == nil {
		t.Fatal("a closed archive made an account")
	}

	// invite: without an invitation, refused with a message; the queue shows a place.
	admin.post("/admin/settings", settingsForm("invite", nil)).status_(t, 200)
	guest.get("/signup").has(t, "need an invitation", "/invite_requests").lacks(t, "Create account")
	guest.post("/signup", signupForm("latecomer")).status_(t, 403).has(t, "need an invitation")
	guest.post("/invite_requests", url.Values{"email": {"first@example.test"}}).status_(t, 200).has(t, "number 1 in the queue")
	guest.post("/invite_requests", url.Values{"email": {"second@example.test"}}).status_(t, 200).has(t, "number 2 in the queue")
	guest.get("/invite_requests?email=second@example.test").status_(t, 200).has(t, "number 2 in the queue")
	guest.post("/invite_requests", url.Values{"email": {"not an address"}}).status_(t, 422)

	// The admin invites the queue's front; the mailed link signs up once.
	admin.get("/admin/invitations").status_(t, 200).has(t, "first@example.test", "second@example.test")
	admin.post("/admin/invitations", url.Values{"count": {"1"}}).status_(t, 200).has(t, "1 invitation sent")
	token := r.lastLink("invitation")
	guest.get("/invite_requests?email=second@example.test").has(t, "number 1 in the queue")
	guest.get("/signup?invitation="+url.QueryEscape(token)).status_(t, 200).has(t, "Create account", token)
	f := signupForm("invited")
	f.Set("invitation", token)
	b := r.browser()
	b.post("/signup", f).status_(t, 200).has(t, "Log out", "invited")
	f = signupForm("freeloader")
	f.Set("invitation", token)
	r.browser().post("/signup", f).status_(t, 403).has(t, "unknown or has already been used")
	guest.get("/signup?invitation="+url.QueryEscape(token)).has(t, "already been used").lacks(t, "Create account")
	guest.get("/signup?invitation=made-up").has(t, "already been used")

	// An invitation to an address, from the admin.
	admin.post("/admin/invitations", url.Values{"email": {"direct@example.test"}}).status_(t, 200).has(t, "1 invitation sent", "direct@example.test")
	f = signupForm("direct")
	f.Set("invitation", r.lastLink("invitation"))
	r.browser().post("/signup", f).status_(t, 200).has(t, "Log out")

	// Back to open: sign-up needs nothing again.
	admin.post("/admin/settings", settingsForm("open", nil)).status_(t, 200)
	r.browser().signup("latecomer")
	admin.post("/admin/settings", settingsForm("sometimes", nil)).status_(t, 422).has(t, "must be open, invite or closed")
}

func TestUserHandsOnInvitations(t *testing.T) {
	r := newRig(t, web.Options{})
	admin := r.admin("boss")
	friend := r.browser()
	friend.signup("friendly")
	friend.get("/users/friendly/invitations").status_(t, 200).has(t, "no invitations left")
	admin.post("/admin/invitations/give", url.Values{"user": {"friendly"}, "count": {"1"}}).status_(t, 200).has(t, "1 invitation given")
	admin.post("/admin/invitations/give", url.Values{"user": {"nobody"}, "count": {"1"}}).status_(t, 422)
	other := r.browser()
	other.signup("nosy")
	admin.post("/admin/settings", settingsForm("invite", nil)).status_(t, 200)

	friend.get("/users/friendly/invitations").status_(t, 200).has(t, "1 invitation left")
	r.browser().get("/users/friendly/invitations").status_(t, 200).has(t, "Log in") // a guest is sent to log in
	other.get("/users/friendly/invitations").status_(t, 403)
	friend.post("/users/friendly/invitations", url.Values{"email": {"pal@example.test"}}).status_(t, 200).has(t, "Invitation sent.", "pal@example.test")
	friend.post("/users/friendly/invitations", url.Values{"email": {"pal2@example.test"}}).status_(t, 422).has(t, "no invitations left")
	f := signupForm("pal")
	f.Set("invitation", r.lastLink("invitation"))
	r.browser().post("/signup", f).status_(t, 200).has(t, "Log out")
	friend.get("/users/friendly/invitations").has(t, "/users/pal")
}

func TestEmailVerification(t *testing.T) {
	r := newRig(t, web.Options{})
	admin := r.admin("boss")
	admin.post("/admin/settings", settingsForm("open", url.Values{"verify_email": {"1"}})).status_(t, 200)
	writer := r.browser()
	writer.post("/signup", signupForm("fresh")).status_(t, 200).has(t, "Welcome! We have mailed you a link")
	first := r.lastLink("token")

	// Unverified: reading works, writing is 403 with a message.
	writer.get("/account").status_(t, 200).has(t, "Verify your e-mail address", "Send the link again")
	p := writer.post("/works", url.Values{"title": {"Too Soon"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Words."}, "action": {"post"}})
	p.status_(t, 403).has(t, "verify your e-mail address")
	work := admin.postWork(nil)
	writer.post(work+"/kudos", nil).status_(t, 403).has(t, "verify your e-mail address")
	writer.post(work+"/bookmarks", url.Values{"notes": {"nice"}}).status_(t, 403)

	// A resent link replaces the first; an expired one is refused.
	writer.post("/account/verification", nil).status_(t, 200).has(t, "new verification link")
	second := r.lastLink("token")
	if second == first {
		t.Fatal("the resent link is the same")
	}
	r.browser().post("/verify_email", url.Values{"token": {first}}).status_(t, 422).has(t, "unknown or was already used")
	now := r.site.Now
	r.site.Now = func() time.Time { return now().Add(site.VerificationLifetime + time.Minute) }
	r.browser().get("/verify_email?token="+url.QueryEscape(second)).status_(t, 200).has(t, "Verify my address")
	r.browser().post("/verify_email", url.Values{"token": {second}}).status_(t, 422).has(t, "expired")
	r.site.Now = now
	r.browser().post("/verify_email", url.Values{"token": {second}}).status_(t, 200).has(t, "is verified")
	writer.post(work+"/kudos", nil).status_(t, 200)
	writer.get("/account").lacks(t, "Send the link again")
	writer.post("/account/verification", nil).status_(t, 422).has(t, "already verified")
}

func TestHoneypots(t *testing.T) {
	r := newRig(t, web.Options{})
	f := signupForm("robot")
	f.Set("website", "http://spam.example")
	r.browser().post("/signup", f).status_(t, 200).lacks(t, "Log out")
	if _, err := r.store.UserByName(context.Background(), "robot"); err == nil {
		t.Fatal("the honeypot let a bot sign up")
	}
	creator := r.browser()
	creator.signup("writer")
	work := creator.postWork(url.Values{"comment_permissions": {"everyone"}})
	page := r.browser().get(work).status_(t, 200)
	action := regexp.MustCompile(`action="(/works/\d+/chapters/\d+/comments)"`).FindStringSubmatch(page.body)
	if action == nil {
		t.Fatalf("no guest comment form on %s", work)
	}
	page.has(t, `name="website"`)
	r.browser().post(action[1], url.Values{"name": {"Bot"}, "email": {"bot@example.test"}, "body": {"Buy now"}, "website": {"x"}}).status_(t, 200)
	creator.get(work).lacks(t, "Buy now")
	if got := r.site.Stopped(site.DefenceHoneypot); got != 2 {
		t.Fatalf("honeypot stopped %d, want 2", got)
	}
}

func TestNewAccountLimitsAndHeldGuestComments(t *testing.T) {
	r := newRig(t, web.Options{})
	if err := r.site.InitPolicy(context.Background(), archive.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	b := r.browser()
	b.signup("newbie")
	var work string
	for i := 0; i < 3; i++ {
		work = b.postWork(url.Values{"comment_permissions": {"everyone"}})
	}
	f := url.Values{"title": {"Fourth"}, "rating": {"General Audiences"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Words."}, "action": {"post"}}
	b.post("/works", f).status_(t, 422).has(t, "new account may post 3 works", "UTC")
	now := r.site.Now
	r.site.Now = func() time.Time { return now().Add(25 * time.Hour) }
	b.postWork(nil)
	r.site.Now = now

	// Ten comments an hour for a new account (the per-minute limit is
	// stepped around by moving the clock).
	reader := r.browser()
	reader.signup("chatty")
	p := r.browser().get(work)
	action := regexp.MustCompile(`action="(/works/\d+/chapters/\d+/comments)"`).FindStringSubmatch(p.body)[1]
	base := now()
	for i := 0; i < 10; i++ {
		at := base.Add(time.Duration(i) * 2 * time.Minute)
		r.site.Now = func() time.Time { return at }
		if p := reader.post(action, url.Values{"body": {"Comment number " + string(rune('a'+i))}}); p.status != 200 {
			t.Fatalf("comment %d: %d %s", i, p.status, excerpt(p.body))
		}
	}
	at := base.Add(25 * time.Minute)
	r.site.Now = func() time.Time { return at }
	reader.post(action, url.Values{"body": {"One too many"}}).status_(t, 429).has(t, "10 comments an hour", "minutes")

	// A guest comment with three links is held for the creator (two hours
	// on, when this address's earlier comments no longer count).
	later := base.Add(2 * time.Hour)
	r.site.Now = func() time.Time { return later }
	guest := r.browser()
	guest.post(action, url.Values{"name": {"Guest"}, "email": {"g@example.test"},
		"body": {"see http://a.example and http://b.example and www.c.example"}}).status_(t, 200)
	guest.post(action, url.Values{"name": {"Guest"}, "email": {"g@example.test"}, "body": {"just http://a.example"}}).status_(t, 200)
	r.browser().get(work).has(t, "just http://a.example").lacks(t, "www.c.example")
	if got := r.site.Stopped(site.DefenceHeldComment); got != 1 {
		t.Fatalf("held comments %d, want 1", got)
	}
	b.get(work).has(t, "www.c.example") // the creator sees it, to approve it

	// An address over its hourly limit has its further guest comments held.
	for i := 0; i < 8; i++ { // with the two above, ten this hour
		at := later.Add(time.Duration(i+1) * 2 * time.Minute)
		r.site.Now = func() time.Time { return at }
		guest.post(action, url.Values{"name": {"Guest"}, "email": {"g@example.test"}, "body": {"Plain note " + string(rune('a'+i))}}).status_(t, 200)
	}
	at = later.Add(30 * time.Minute)
	r.site.Now = func() time.Time { return at }
	guest.post(action, url.Values{"name": {"Guest"}, "email": {"g@example.test"}, "body": {"Over the limit"}}).status_(t, 200)
	r.browser().get(work).has(t, "Plain note h").lacks(t, "Over the limit")
	if got := r.site.Stopped(site.DefenceHeldComment); got != 2 {
		t.Fatalf("held comments %d, want 2", got)
	}
	r.site.Now = now
}

func TestReviewFirstWorks(t *testing.T) {
	r := newRig(t, web.Options{})
	admin := r.admin("boss")
	admin.post("/admin/settings", settingsForm("open", url.Values{"review_first_works": {"1"}})).status_(t, 200)
	b := r.browser()
	b.signup("beginner")
	first := b.postWork(url.Values{"title": {"Held Back Tale"}})
	b.get(first).status_(t, 200).has(t, "awaiting review")
	b.get("/users/beginner/drafts").status_(t, 200).has(t, "Held Back Tale</a> is awaiting review")
	r.browser().get(first).status_(t, 404)
	r.browser().get("/works").lacks(t, "Held Back Tale")
	second := b.postWork(url.Values{"title": {"Straight Through"}})
	b.get(second).lacks(t, "awaiting review")
	r.browser().get("/works").has(t, "Straight Through")

	mod := r.browser()
	mod.signup("keeper")
	u, _ := r.store.UserByName(context.Background(), "keeper")
	if err := r.store.SetUserRoles(context.Background(), u.ID, []string{archive.RoleModerator}); err != nil {
		t.Fatal(err)
	}
	b.get("/admin/review").status_(t, 403)
	p := mod.get("/admin/review").status_(t, 200).has(t, "Held Back Tale")
	if cc := p.status; cc != 200 {
		t.Fatal(cc)
	}
	b.get(first).lacks(t, "/approve")
	mod.get(first).status_(t, 200).has(t, "awaiting review", `action="/admin/review/`+strings.TrimPrefix(first, "/works/")+`/approve"`)
	mod.get("/account").has(t, `href="/admin/review"`).lacks(t, `href="/admin/settings"`)
	id := strings.TrimPrefix(first, "/works/")
	mod.post("/admin/review/"+id+"/approve", nil).status_(t, 200).has(t, "approved").lacks(t, "Held Back Tale")
	r.browser().get(first).status_(t, 200).lacks(t, "awaiting review")
	r.browser().get("/works").has(t, "Held Back Tale")
	mod.post("/admin/review/"+id+"/approve", nil).status_(t, 404)
}

func TestRefusedRating(t *testing.T) {
	r := newRig(t, web.Options{})
	admin := r.admin("boss")
	admin.post("/admin/settings", settingsForm("open", url.Values{"refuse_rating": {"Explicit"}, "refusal_message": {"We keep this archive all-ages."}})).
		status_(t, 200).has(t, `value="Explicit" checked`)
	b := r.browser()
	b.signup("poster")
	f := url.Values{"title": {"Not Here"}, "rating": {"Explicit"}, "warning": {"No Archive Warnings Apply"},
		"fandom": {"Lantern Tales"}, "body": {"Words."}, "action": {"post"}}
	b.post("/works", f).status_(t, 422).has(t, "We keep this archive all-ages.")

	// Editing a work to the refused rating is refused; other edits are not.
	work := b.postWork(nil)
	f.Set("title", "Renamed")
	b.post(work+"/edit", f).status_(t, 422).has(t, "We keep this archive all-ages.")
	f.Set("rating", "General Audiences")
	b.post(work+"/edit", f).status_(t, 200).has(t, "Renamed")

	// Importing one is refused too.
	b.postImport(map[string]string{"format": "auto"}, upload{"tale.txt", []byte("Title: Imported Tale\nRating: Explicit\nFandom: Lantern Tales\n\nThe story goes on here for a while.\n")}).
		status_(t, 422).has(t, "We keep this archive all-ages.")
	b.get("/works").lacks(t, "Not Here", "Imported Tale")
	if got := r.site.Stopped(site.DefenceRefusedRating); got != 3 {
		t.Fatalf("refused ratings %d, want 3", got)
	}
}

func TestPolicyAdminPagesNeedTheRole(t *testing.T) {
	r := newRig(t, web.Options{})
	r.admin("boss")
	user := r.browser()
	user.signup("plain")
	mod := r.browser()
	mod.signup("keeper")
	u, _ := r.store.UserByName(context.Background(), "keeper")
	if err := r.store.SetUserRoles(context.Background(), u.ID, []string{archive.RoleModerator}); err != nil {
		t.Fatal(err)
	}
	admin := r.login("boss")
	noRedirect := func(b *browser) *http.Client {
		c := *b.c
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		return &c
	}
	for _, rt := range []struct{ method, path, role string }{
		{"GET", "/admin/settings", "admin"}, {"POST", "/admin/settings", "admin"},
		{"GET", "/admin/invitations", "admin"}, {"POST", "/admin/invitations", "admin"}, {"POST", "/admin/invitations/give", "admin"},
		{"GET", "/admin/review", "moderator"}, {"POST", "/admin/review/1/approve", "moderator"},
	} {
		var body *strings.Reader
		do := func(b *browser) *http.Response {
			body = strings.NewReader("")
			req, _ := http.NewRequest(rt.method, r.srv.URL+rt.path, body)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := noRedirect(b).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		// Every staff page answers a guest the same way: 401 with the log-in form.
		if resp := do(r.browser()); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s as a guest: %d, want 401 with the log-in form", rt.method, rt.path, resp.StatusCode)
		}
		if resp := do(user); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s as a plain user: %d, want 403", rt.method, rt.path, resp.StatusCode)
		}
		modWant := http.StatusForbidden
		if rt.role == "moderator" {
			modWant = -1
		}
		if resp := do(mod); modWant > 0 && resp.StatusCode != modWant {
			t.Errorf("%s %s as a moderator: %d, want %d", rt.method, rt.path, resp.StatusCode, modWant)
		}
		if rt.method == "GET" {
			resp := do(admin)
			if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "private, no-store" {
				t.Errorf("%s %s as admin: %d, Cache-Control %q", rt.method, rt.path, resp.StatusCode, resp.Header.Get("Cache-Control"))
			}
		}
	}
}

func TestInviteRequestsAreLimited(t *testing.T) {
	r := newRig(t, web.Options{LoginRateLimit: 3})
	admin := r.admin("boss")
	guest := r.browser()
	// An open archive needs no queue.
	guest.post("/invite_requests", url.Values{"email": {"d@example.test"}}).status_(t, 422).has(t, "sign up right away")

	admin.post("/admin/settings", settingsForm("invite", nil)).status_(t, 200)
	guest.get("/invite_requests").status_(t, 200).has(t, `name="website"`, `<label for="i-email">`)
	guest.post("/invite_requests", url.Values{"email": {"bot@example.test"}, "website": {"x"}}).status_(t, 200).lacks(t, "number 1 in the queue")
	guest.post("/invite_requests", url.Values{"email": {"a@example.test"}}).status_(t, 200).has(t, "number 1 in the queue")
	guest.post("/invite_requests", url.Values{"email": {"b@example.test"}}).status_(t, 200).has(t, "number 2 in the queue")
	guest.post("/invite_requests", url.Values{"email": {"c@example.test"}}).status_(t, 429).has(t, "Too many requests")
	if _, err := r.site.InvitationPlace(context.Background(), "bot@example.test"); err == nil {
		t.Error("the honeypot let a bot into the queue")
	}
}
