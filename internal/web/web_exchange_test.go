package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
	"quire/internal/store/testdb"
)

// exchangeRig is a mail rig with a gift exchange "Swap" kept by keeper,
// fandom must match and characters all, sign-ups open.
type exchangeRig struct {
	*mailRig
	sink   *smtpSink
	ctx    context.Context
	keeper *archive.User
	clk    *testClock
}

func newExchangeRig(t *testing.T) *exchangeRig {
	sink := newSMTPSink(t)
	r := openMailRig(t, testdb.Location(t), sink)
	clk := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	r.site.Now, r.jobs.Now = clk.now, clk.now
	x := &exchangeRig{mailRig: r, sink: sink, ctx: context.Background(), clk: clk}
	x.keeper = r.user("keeper", true)
	if _, err := r.site.CreateCollection(x.ctx, x.keeper, archive.CollectionInput{Name: ptr("Swap"), Title: ptr("Winter Swap"), Open: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	ch := archive.Challenge{Kind: archive.GiftExchange, Settings: archive.DefaultChallengeSettings()}
	ch.Settings.Tags = map[archive.TagType]archive.TagRule{
		archive.TypeFandom:    {Request: archive.Range{Min: 1, Max: 1}, Offer: archive.Range{Min: 1, Max: 1}, Match: 1},
		archive.TypeCharacter: {Request: archive.Range{Min: 0, Max: 2}, Offer: archive.Range{Min: 0, Max: 3}, Any: true, Match: archive.MatchAll},
	}
	if _, err := r.site.SetChallenge(x.ctx, x.keeper, "Swap", ch); err != nil {
		t.Fatal(err)
	}
	return x
}

func (x *exchangeRig) signUp(u *archive.User, reqs, offs []archive.PromptInput) {
	x.t.Helper()
	if _, err := x.site.SignUp(x.ctx, u, "Swap", archive.SignupInput{Requests: reqs, Offers: offs}); err != nil {
		x.t.Fatalf("sign-up of %s: %v", u.Name, err)
	}
}

func (x *exchangeRig) closeSignups() {
	x.t.Helper()
	v, err := x.site.Challenge(x.ctx, x.keeper, "Swap")
	if err != nil {
		x.t.Fatal(err)
	}
	ch := *v.Challenge
	ch.SignupsCloseAt = x.clk.now().Add(-time.Minute)
	if _, err := x.site.SetChallenge(x.ctx, x.keeper, "Swap", ch); err != nil {
		x.t.Fatal(err)
	}
}

func (x *exchangeRig) assignments() map[string]site.AssignmentView {
	x.t.Helper()
	st, err := x.site.Exchange(x.ctx, x.keeper, "Swap")
	if err != nil {
		x.t.Fatal(err)
	}
	out := map[string]site.AssignmentView{}
	for _, a := range st.Assignments {
		out[a.Recipient] = a
	}
	return out
}

func fandomChars(fandom string, chars ...string) archive.PromptInput {
	return archive.PromptInput{Fandoms: []string{fandom}, Characters: chars}
}

// Matching compares one request with one offer, through the wrangled tag
// graph: a request for a synonym matches an offer of its canonical tag,
// and the assignment names the request and the offer that matched. The
// assignment mail goes only to givers who take notices by mail; a default
// tells the maintainers (inbox and mail, over SMTP); a maintainer's
// invitation accepted by the giver fulfils the assignment.
func TestExchangePairsSynonymsDefaultsOverSMTP(t *testing.T) {
	x := newExchangeRig(t)
	ctx := x.ctx
	ann := x.user("ann", true)
	bo := x.user("bo", false)
	cy := x.user("cy", true)
	wrangler := x.user("wrangler", false)
	if err := x.st.SetUserRoles(ctx, wrangler.ID, []string{archive.RoleWrangler}); err != nil {
		t.Fatal(err)
	}
	wrangler, _ = x.st.UserByName(ctx, "wrangler")
	// The tags exist (a work uses them); "Ann of the Keep" is wrangled
	// as a synonym of "Keeper Ann"; "Keepers" is a meta tag of "Keeper
	// Ann", which does not make them match.
	if _, err := x.site.PostWork(ctx, wrangler, archive.WorkInput{Title: "Tag Holder", Rating: archive.RatingGeneral,
		Warnings: []string{archive.WarningNone}, Fandoms: []string{"Moss Saga"},
		Characters: []string{"Keeper Ann", "Ann of the Keep", "Keepers"},
		Chapters:   []archive.ChapterInput{{Body: "<p>Tags.</p>"}}}); err != nil {
		t.Fatal(err)
	}
	yes, canon := true, "Keeper Ann"
	for name, c := range map[string]site.TagChange{"Keeper Ann": {Canonical: &yes}, "Keepers": {Canonical: &yes}} {
		if _, err := x.site.Wrangle(ctx, wrangler, "", name, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := x.site.Wrangle(ctx, wrangler, "", "Ann of the Keep", site.TagChange{SynonymOf: &canon}); err != nil {
		t.Fatal(err)
	}
	if _, err := x.site.Wrangle(ctx, wrangler, "", "Keeper Ann", site.TagChange{MetaAdd: []string{"Keepers"}}); err != nil {
		t.Fatal(err)
	}

	// ann asks for the synonym; bo's second offer names the canonical
	// tag (his first, another fandom, matches nobody's request).
	x.signUp(ann, []archive.PromptInput{fandomChars("Moss Saga", "Ann of the Keep")}, []archive.PromptInput{fandomChars("Tide Clock")})
	x.signUp(bo, []archive.PromptInput{fandomChars("Tide Clock")}, []archive.PromptInput{fandomChars("Lantern Tales"), fandomChars("moss saga", "Keeper Ann")})
	// cy asks for the meta tag: only an offer naming it matches; none does.
	x.signUp(cy, []archive.PromptInput{fandomChars("Moss Saga", "Keepers")}, []archive.PromptInput{fandomChars("Tide Clock")})
	x.closeSignups()
	res, err := x.site.RunMatching(ctx, x.keeper, "Swap")
	if err != nil {
		t.Fatal(err)
	}
	as := x.assignments()
	a := as["ann"]
	if res.Matched != 2 || a.Giver != "bo" || as["cy"].Giver != "" {
		t.Fatalf("matched %d; ann's giver %q, cy's %q (%+v)", res.Matched, a.Giver, as["cy"].Giver, res.Unmatched)
	}
	if a.Request == nil || a.Offer == nil || a.Request.Tags[archive.TypeCharacter][0] != "Ann of the Keep" ||
		a.Offer.Tags[archive.TypeCharacter][0] != "Keeper Ann" || a.Offer.Position != 1 {
		t.Fatalf("ann's assignment names request %+v and offer %+v", a.Request, a.Offer)
	}
	x.browser().get("/")
	keeperB := x.browser()
	keeperB.login("keeper")
	keeperB.get("/collections/Swap/exchange").status_(t, 200).has(t, "Request:", "Ann of the Keep", "Offer:", "Keeper Ann")

	// Sending: bo (mail off) is told in his inbox only; ann (mail on)
	// gets the mail naming bo's request and her offer.
	if n, err := x.site.SendAssignments(ctx, x.keeper, "Swap"); err != nil || n != 2 {
		t.Fatalf("sent %d: %v", n, err)
	}
	x.runJobs()
	if s, _ := mailsTo(t, x.sink, "bo@example.test"); len(s) != 0 {
		t.Fatalf("bo turned mail off yet got %v", s)
	}
	subj, texts := mailsTo(t, x.sink, "ann@example.test")
	if len(subj) != 1 || !strings.Contains(subj[0], "Your assignment for Winter Swap") || !strings.Contains(texts[0], "Your offer it matches") {
		t.Fatalf("ann's mail %v %v", subj, texts)
	}
	if v := x.inbox(bo); v.Total != 1 {
		t.Fatalf("bo's inbox has %d entries", v.Total)
	}
	boB := x.browser()
	boB.login("bo")
	boB.get("/assignments").status_(t, 200).has(t, "The offer of yours it matches:", "Keeper Ann")

	// ann defaults on her assignment for bo: keeper is told, inbox and mail.
	var annGives int64
	for _, v := range x.assignments() {
		if v.Giver == "ann" {
			annGives = v.ID
		}
	}
	if _, err := x.site.DefaultAssignment(ctx, ann, annGives); err != nil {
		t.Fatal(err)
	}
	x.runJobs()
	subj, texts = mailsTo(t, x.sink, "keeper@example.test")
	if len(subj) != 1 || !strings.Contains(subj[0], "ann defaulted in Winter Swap") || !strings.Contains(texts[0], "/collections/Swap/exchange") {
		t.Fatalf("keeper's mails %v %v", subj, texts)
	}
	keeperB.get("/inbox").status_(t, 200).has(t, "defaulted on their assignment for", "Find a pinch-hitter")
	if n := auditCount(t, x.rig, "challenge_default"); n != 1 {
		t.Fatalf("%d audit entries for the default", n)
	}

	// bo writes his gift for ann outside the collection; the keeper
	// invites it, bo accepts: the assignment is fulfilled.
	w, err := x.site.PostWork(ctx, bo, archive.WorkInput{Title: "Moss for Ann", Rating: archive.RatingGeneral,
		Warnings: []string{archive.WarningNone}, Fandoms: []string{"Moss Saga"}, Gifts: &[]string{"ann"},
		Chapters: []archive.ChapterInput{{Body: "<p>Green.</p>"}}})
	if err != nil {
		t.Fatal(err)
	}
	if it, err := x.site.AddToCollection(ctx, x.keeper, "Swap", w.ID); err != nil || it.State != archive.ItemInvited {
		t.Fatalf("invite: %+v %v", it, err)
	}
	if x.assignments()["ann"].FulfilledBy != 0 {
		t.Fatal("an invitation not yet accepted fulfils the assignment")
	}
	boB.post("/collections/Swap/items/"+itoa(w.ID), url.Values{"action": {"approved"}, "return_to": {"/account/collection_items"}}).status_(t, 200)
	if got := x.assignments()["ann"].FulfilledBy; got != w.ID {
		t.Fatalf("after accepting the invitation the assignment is fulfilled by %d, want %d", got, w.ID)
	}
}

// Pinch-hits and removing a sign-up, through the pages: anyone may
// volunteer (pat has no sign-up); the exchange page lists who needs a
// pinch-hitter and the volunteers; the one chosen is told at once, inbox
// and mail. A maintainer removes a sign-up after matching: the
// participant's assignment as a recipient goes and the one they gave waits
// for a pinch-hitter; a participant can't, and a posted gift keeps it.
func TestExchangePinchHitsAndRemovingSignups(t *testing.T) {
	x := newExchangeRig(t)
	ctx := x.ctx
	ann, bo, cy := x.user("ann", true), x.user("bo", true), x.user("cy", true)
	x.user("pat", true)
	x.signUp(ann, []archive.PromptInput{fandomChars("Moss Saga")}, []archive.PromptInput{fandomChars("Tide Clock")})
	x.signUp(bo, []archive.PromptInput{fandomChars("Tide Clock")}, []archive.PromptInput{fandomChars("Moss Saga")})
	x.signUp(cy, []archive.PromptInput{fandomChars("Lantern Tales")}, []archive.PromptInput{fandomChars("Lantern Tales")})

	pat := x.browser()
	pat.login("pat")
	pat.get("/collections/Swap").status_(t, 200).has(t, "Volunteer as a pinch-hitter")
	pat.post("/collections/Swap/pinch_hit", url.Values{"action": {"jump"}}).status_(t, 422)
	pat.post("/collections/Swap/pinch_hit", url.Values{"action": {"join"}}).status_(t, 200).has(t, "You are on the pinch-hit list", "Leave the pinch-hit list")
	pat.post("/collections/Swap/pinch_hit", url.Values{"action": {"join"}}).status_(t, 409)
	if ps, err := x.site.PinchHitters(ctx, x.keeper, "Swap"); err != nil || len(ps) != 1 || ps[0].Name != "pat" {
		t.Fatalf("pinch-hitters %+v %v", ps, err)
	}
	if _, err := x.site.PinchHitters(ctx, ann, "Swap"); err == nil {
		t.Fatal("a participant reads the pinch-hit list")
	}

	x.closeSignups()
	if _, err := x.site.RunMatching(ctx, x.keeper, "Swap"); err != nil {
		t.Fatal(err)
	}
	if _, err := x.site.SendAssignments(ctx, x.keeper, "Swap"); err != nil {
		t.Fatal(err)
	}
	x.runJobs()
	keeper := x.browser()
	keeper.login("keeper")
	page := keeper.get("/collections/Swap/exchange").status_(t, 200).has(t, "Pinch-hits", "Volunteers:", `<option value="pat">pat</option>`)
	cyID := x.assignments()["cy"].ID
	if !strings.Contains(page.body, `id="pinch-hit-`+itoa(cyID)+`"`) {
		t.Fatalf("cy is not listed as needing a pinch-hitter:\n%s", page.body)
	}
	// A typed name that is nobody: 422, nothing changes.
	keeper.post("/collections/Swap/assignments/"+itoa(cyID), url.Values{"giver": {"pat"}, "giver_typed": {"nobody-here"}}).status_(t, 422)
	if x.assignments()["cy"].Giver != "" {
		t.Fatal("a refused pinch-hit was written")
	}
	before := len(x.sink.messages())
	keeper.post("/collections/Swap/assignments/"+itoa(cyID), url.Values{"giver": {"pat"}, "giver_typed": {""}}).status_(t, 200)
	if a := x.assignments()["cy"]; a.Giver != "pat" || !a.PinchHit || a.Status != "sent" {
		t.Fatalf("cy's pinch-hit %+v", a)
	}
	x.runJobs()
	subj, _ := mailsTo(t, x.sink, "pat@example.test")
	if len(subj) != 1 || !strings.Contains(subj[0], "Your assignment for Winter Swap") || len(x.sink.messages()) != before+1 {
		t.Fatalf("pat's mails %v (%d messages, %d before)", subj, len(x.sink.messages()), before)
	}
	pat.get("/inbox").has(t, "Your assignment for")
	pat.get("/assignments").has(t, "you write a gift for <strong>cy</strong>")

	// Removing bo's sign-up after matching: a participant can't; the
	// keeper can.
	boSU, err := x.st.SignupOf(ctx, x.assignments()["bo"].CollectionID, bo.ID)
	if err != nil {
		t.Fatal(err)
	}
	annB := x.browser()
	annB.login("ann")
	annB.post("/collections/Swap/signups/"+itoa(boSU.ID)+"/remove", nil).status_(t, 403)
	if len(x.assignments()) != 3 {
		t.Fatal("a refused removal wrote")
	}
	keeper.post("/collections/Swap/signups/"+itoa(boSU.ID)+"/remove", nil).status_(t, 200).has(t, "Pinch-hits")
	as := x.assignments()
	if _, ok := as["bo"]; ok || len(as) != 2 || as["ann"].Giver != "" || as["ann"].Status != "unassigned" {
		t.Fatalf("after removing bo: %+v", as)
	}
	if n := auditCount(t, x.rig, "challenge_signup_remove"); n != 1 {
		t.Fatalf("%d audit entries for the removal", n)
	}
	// pat posts cy's gift; then removing cy is refused with a message.
	w, err := x.site.PostWork(ctx, x.userByName("pat"), archive.WorkInput{Title: "Lanterns", Rating: archive.RatingGeneral,
		Warnings: []string{archive.WarningNone}, Fandoms: []string{"Lantern Tales"}, Gifts: &[]string{"cy"},
		Collections: &[]string{"Swap"}, Chapters: []archive.ChapterInput{{Body: "<p>Light.</p>"}}})
	if err != nil {
		t.Fatal(err)
	}
	if x.assignments()["cy"].FulfilledBy != w.ID {
		t.Fatal("the pinch-hit gift did not fulfil")
	}
	cySU, _ := x.st.SignupOf(ctx, as["cy"].CollectionID, cy.ID)
	keeper.post("/collections/Swap/signups/"+itoa(cySU.ID)+"/remove", nil).status_(t, 409).has(t, "is posted")
	if len(x.assignments()) != 2 {
		t.Fatal("a refused removal wrote")
	}
}

func (x *exchangeRig) userByName(name string) *archive.User {
	x.t.Helper()
	u, err := x.st.UserByName(x.ctx, name)
	if err != nil {
		x.t.Fatal(err)
	}
	return u
}

// A translation here tells the original's creators by inbox and, when
// they take notices by mail, by mail over SMTP (once); the translation's
// language (its own work's) shows on both works and in the API's entry.
func TestRelatedWorkMailAndTranslationLanguage(t *testing.T) {
	x := newExchangeRig(t)
	ctx := x.ctx
	author, quiet, tr := x.user("author", true), x.user("quiet", false), x.user("translator", false)
	orig := x.work(author, "The Lighthouse")
	other := x.work(quiet, "Sea Song")
	in := archive.WorkInput{Title: "Der Leuchtturm", Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Lantern Tales"}, Language: "de", Chapters: []archive.ChapterInput{{Body: "<p>Das Licht.</p>"}},
		Related: &[]archive.RelatedInput{{WorkID: orig.ID, Kind: archive.RelatedTranslation}, {WorkID: other.ID, Kind: archive.RelatedInspiredBy}}}
	child, err := x.site.PostWork(ctx, tr, in)
	if err != nil {
		t.Fatal(err)
	}
	x.runJobs()
	subj, texts := mailsTo(t, x.sink, "author@example.test")
	if len(subj) != 1 || !strings.Contains(subj[0], "“Der Leuchtturm” names your work") || !strings.Contains(texts[0], "/account/related_works") {
		t.Fatalf("the original's creator's mails %v %v", subj, texts)
	}
	if s, _ := mailsTo(t, x.sink, "quiet@example.test"); len(s) != 0 {
		t.Fatalf("quiet turned mail off yet got %v", s)
	}
	if v := x.inbox(quiet); v.Total != 1 {
		t.Fatalf("quiet's inbox %d", v.Total)
	}
	// Saving the translation again tells nobody twice.
	if _, err := x.site.EditWork(ctx, tr, child.ID, in); err != nil {
		t.Fatal(err)
	}
	x.runJobs()
	if s, _ := mailsTo(t, x.sink, "author@example.test"); len(s) != 1 {
		t.Fatalf("told twice: %v", s)
	}
	if err := x.site.AnswerRelated(ctx, author, orig.ID, child.ID, archive.RelatedApproved); err != nil {
		t.Fatal(err)
	}
	g := x.browser()
	g.get("/works/"+itoa(child.ID)).status_(t, 200).has(t, "The Lighthouse", "translated into Deutsch")
	g.get("/works/"+itoa(orig.ID)).status_(t, 200).has(t, "Der Leuchtturm", "a translation into Deutsch")
}
