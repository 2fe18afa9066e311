package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

func testChallenges(t *testing.T, st store.Store) {
	ctx := context.Background()
	owner := newUser(t, st, "mod")
	ann := newUser(t, st, "ann")
	bo := newUser(t, st, "bo")
	at := time.Date(2024, 11, 1, 12, 0, 0, 0, time.UTC)
	ex := &archive.Collection{Name: "Swap", Title: "Swap", CreatedAt: at, UpdatedAt: at}
	must(t, st.CreateCollection(ctx, ex, owner.ID))

	if _, err := st.Challenge(ctx, ex.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("no challenge yet: %v", err)
	}
	ch := &archive.Challenge{CollectionID: ex.ID, Kind: archive.GiftExchange, SignupsCloseAt: at.Add(48 * time.Hour),
		Settings: archive.DefaultChallengeSettings(), CreatedAt: at, UpdatedAt: at}
	ch.Settings.TagSet = []string{"Rivers", "Ann Rivers"}
	ch.Settings.Tags[archive.TypeCharacter] = archive.TagRule{Request: archive.Range{Min: 0, Max: 2}, Match: archive.MatchAll, Any: true}
	must(t, st.PutChallenge(ctx, ch))
	got, err := st.Challenge(ctx, ex.ID)
	must(t, err)
	if got.Kind != archive.GiftExchange || !got.SignupsOpenAt.IsZero() || !got.SignupsCloseAt.Equal(ch.SignupsCloseAt) || !reflect.DeepEqual(got.Settings, ch.Settings) {
		t.Fatalf("challenge %+v", got)
	}
	ch.SignupsOpenAt = at
	ch.UpdatedAt = at.Add(time.Hour)
	must(t, st.PutChallenge(ctx, ch))
	if got, _ := st.Challenge(ctx, ex.ID); !got.SignupsOpenAt.Equal(at) || !got.CreatedAt.Equal(at) {
		t.Fatalf("replaced challenge %+v", got)
	}

	req := archive.Prompt{Kind: archive.PromptRequest, Tags: map[archive.TagType][]string{archive.TypeFandom: {"Rivers"}, archive.TypeCharacter: {"Ann Rivers"}},
		Details: rich("<p>snow</p>"), URL: "https://example.test/p"}
	off := archive.Prompt{Kind: archive.PromptOffer, Tags: map[archive.TagType][]string{archive.TypeFandom: {"Rivers"}}, Any: []archive.TagType{archive.TypeCharacter}}
	sa := &archive.Signup{CollectionID: ex.ID, UserID: ann.ID, Requests: []archive.Prompt{req}, Offers: []archive.Prompt{off}, CreatedAt: at, UpdatedAt: at}
	must(t, st.SaveSignup(ctx, sa))
	sb := &archive.Signup{CollectionID: ex.ID, UserID: bo.ID, Requests: []archive.Prompt{req}, Offers: []archive.Prompt{off, off}, CreatedAt: at, UpdatedAt: at}
	must(t, st.SaveSignup(ctx, sb))
	if sa.ID == 0 || sa.Requests[0].ID == 0 {
		t.Fatal("no ids")
	}
	first := sa.ID
	// Editing replaces the prompts and keeps the sign-up.
	sa.Requests = []archive.Prompt{req, req}
	sa.UpdatedAt = at.Add(time.Hour)
	must(t, st.SaveSignup(ctx, sa))
	if sa.ID != first {
		t.Fatalf("an edit made sign-up %d, not %d", sa.ID, first)
	}
	mine, err := st.SignupOf(ctx, ex.ID, ann.ID)
	must(t, err)
	if mine.UserName != "ann" || len(mine.Requests) != 2 || len(mine.Offers) != 1 || !mine.CreatedAt.Equal(at) || !mine.UpdatedAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("sign-up %+v", mine)
	}
	r := mine.Requests[0]
	if r.Tags[archive.TypeCharacter][0] != "Ann Rivers" || r.Details.HTML != "<p>snow</p>" || r.URL != "https://example.test/p" || r.UserName != "ann" {
		t.Fatalf("request %+v", r)
	}
	if o := mine.Offers[0]; !o.IsAny(archive.TypeCharacter) || len(o.Tags[archive.TypeCharacter]) != 0 {
		t.Fatalf("offer %+v", o)
	}
	all, err := st.Signups(ctx, ex.ID)
	must(t, err)
	if len(all) != 2 || all[0].UserName != "ann" || len(all[1].Offers) != 2 {
		t.Fatalf("sign-ups %+v", all)
	}
	if p, err := st.Prompt(ctx, mine.Requests[1].ID); err != nil || p.Position != 1 || p.SignupID != first {
		t.Fatalf("prompt %+v %v", p, err)
	}

	// Matching is stored once.
	boSU, err := st.SignupOf(ctx, ex.ID, bo.ID)
	must(t, err)
	as := []archive.Assignment{{RecipientID: ann.ID, GiverID: bo.ID, RequestID: mine.Requests[0].ID, OfferID: boSU.Offers[1].ID}, {RecipientID: bo.ID}}
	must(t, st.SaveMatching(ctx, ex.ID, as, at.Add(72*time.Hour)))
	if err := st.SaveMatching(ctx, ex.ID, as, at.Add(73*time.Hour)); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("matching twice: %v", err)
	}
	list, err := st.Assignments(ctx, ex.ID)
	must(t, err)
	if len(list) != 2 || list[0].Recipient != "ann" || list[0].Giver != "bo" || list[0].OfferID != boSU.Offers[1].ID || list[1].GiverID != 0 || list[1].Giver != "" {
		t.Fatalf("assignments %+v", list)
	}
	if c, _ := st.Challenge(ctx, ex.ID); !c.MatchedAt.Equal(at.Add(72 * time.Hour)) {
		t.Fatalf("matched at %v", c.MatchedAt)
	}
	sent, err := st.MarkAssignmentsSent(ctx, ex.ID, at.Add(80*time.Hour))
	must(t, err)
	if len(sent) != 1 || sent[0].Recipient != "ann" {
		t.Fatalf("sent %+v", sent)
	}
	// A pinch-hitter for bo's empty assignment, then a default.
	pin := list[1]
	pin.GiverID, pin.PinchHit, pin.UpdatedAt = ann.ID, true, at.Add(90*time.Hour)
	must(t, st.UpdateAssignment(ctx, &pin))
	a, err := st.Assignment(ctx, pin.ID)
	must(t, err)
	if a.Giver != "ann" || !a.PinchHit || !a.SentAt.IsZero() {
		t.Fatalf("pinch-hit %+v", a)
	}
	mineG, err := st.GiverAssignments(ctx, ann.ID)
	must(t, err)
	if len(mineG) != 1 || mineG[0].Recipient != "bo" {
		t.Fatalf("ann gives %+v", mineG)
	}
	if _, err := st.Assignment(ctx, 99999); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("missing assignment: %v", err)
	}

	// The pinch-hit list.
	must(t, st.AddPinchHitter(ctx, ex.ID, bo.ID, at))
	must(t, st.AddPinchHitter(ctx, ex.ID, ann.ID, at.Add(time.Hour)))
	if err := st.AddPinchHitter(ctx, ex.ID, bo.ID, at); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("volunteering twice: %v", err)
	}
	if ps, err := st.PinchHitters(ctx, ex.ID); err != nil || len(ps) != 2 || ps[0].Name != "ann" || ps[1].UserID != bo.ID || !ps[1].CreatedAt.Equal(at) {
		t.Fatalf("pinch-hitters %+v %v", ps, err)
	}
	must(t, st.RemovePinchHitter(ctx, ex.ID, ann.ID))
	if err := st.RemovePinchHitter(ctx, ex.ID, ann.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("leaving twice: %v", err)
	}

	// Removing a sign-up after matching: ann pinch-hits for bo and bo
	// gives to ann; removing bo takes his assignment as recipient and
	// leaves ann's without a giver. A fulfilled assignment refuses it.
	full, err := st.Assignment(ctx, list[0].ID)
	must(t, err)
	full.FulfilledBy, full.UpdatedAt = 1, at.Add(95*time.Hour)
	w := postWork(t, st, bo, "Gift", nil, "<p>x</p>")
	full.FulfilledBy = w.ID
	must(t, st.UpdateAssignment(ctx, full))
	if err := st.RemoveSignup(ctx, ex.ID, bo.ID); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("removing a fulfilled giver: %v", err)
	}
	if l, _ := st.Assignments(ctx, ex.ID); len(l) != 2 {
		t.Fatalf("a refused removal wrote: %+v", l)
	}
	full.FulfilledBy = 0
	must(t, st.UpdateAssignment(ctx, full))
	must(t, st.RemoveSignup(ctx, ex.ID, bo.ID))
	if err := st.RemoveSignup(ctx, ex.ID, bo.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("removing twice: %v", err)
	}
	left, err := st.Assignments(ctx, ex.ID)
	must(t, err)
	if len(left) != 1 || left[0].Recipient != "ann" || left[0].GiverID != 0 || left[0].OfferID != 0 || !left[0].SentAt.IsZero() {
		t.Fatalf("after removing bo: %+v", left)
	}
	if _, err := st.SignupOf(ctx, ex.ID, bo.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("removed sign-up: %v", err)
	}

	// Withdrawing removes the sign-up and its prompts.
	su := &archive.Signup{CollectionID: ex.ID, UserID: bo.ID, CreatedAt: at, UpdatedAt: at,
		Requests: []archive.Prompt{{Kind: archive.PromptRequest, Tags: map[archive.TagType][]string{archive.TypeFandom: {"Rivers"}}}}}
	must(t, st.SaveSignup(ctx, su))
	must(t, st.DeleteSignup(ctx, ex.ID, bo.ID))
	if err := st.DeleteSignup(ctx, ex.ID, bo.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("withdrawing twice: %v", err)
	}
	if _, err := st.SignupOf(ctx, ex.ID, bo.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("withdrawn sign-up: %v", err)
	}
}
