package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

func testPromptMemes(t *testing.T, st store.Store) {
	ctx := context.Background()
	owner := newUser(t, st, "mod")
	ann := newUser(t, st, "ann")
	bo := newUser(t, st, "bo")
	at := time.Date(2024, 11, 1, 12, 0, 0, 0, time.UTC)
	meme := &archive.Collection{Name: "Meme", Title: "Meme", CreatedAt: at, UpdatedAt: at}
	must(t, st.CreateCollection(ctx, meme, owner.ID))
	must(t, st.PutChallenge(ctx, &archive.Challenge{CollectionID: meme.ID, Kind: archive.PromptMeme,
		Settings: archive.DefaultPromptMemeSettings(), CreatedAt: at, UpdatedAt: at}))

	p := &archive.Prompt{CollectionID: meme.ID, UserID: ann.ID, Title: "Snow", Details: rich("<p>a snowed-in inn</p>"),
		Tags:      map[archive.TagType][]string{archive.TypeFandom: {"Rivers"}, archive.TypeCharacter: {"Ann Rivers", "Bo Lake"}},
		Anonymous: true, CreatedAt: at, UpdatedAt: at}
	must(t, st.AddMemePrompt(ctx, p))
	q := &archive.Prompt{CollectionID: meme.ID, UserID: bo.ID, Details: rich("<p>rain</p>"), Any: []archive.TagType{archive.TypeFandom},
		Tags: map[archive.TagType][]string{}, CreatedAt: at.Add(time.Minute), UpdatedAt: at.Add(time.Minute)}
	must(t, st.AddMemePrompt(ctx, q))
	if p.ID == 0 || q.ID <= p.ID {
		t.Fatalf("prompt ids %d %d", p.ID, q.ID)
	}
	list, err := st.MemePrompts(ctx, meme.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != p.ID || list[0].Kind != archive.PromptPrompt || !list[0].Anonymous || list[0].UserName != "ann" ||
		list[0].Tags[archive.TypeCharacter][1] != "Bo Lake" || list[0].Details.HTML != "<p>a snowed-in inn</p>" || !list[1].IsAny(archive.TypeFandom) {
		t.Fatalf("prompts %+v", list)
	}
	// An edit replaces the tags and the text.
	p.Tags = map[archive.TagType][]string{archive.TypeFandom: {"Lakes"}}
	p.Details, p.Anonymous, p.UpdatedAt = rich("<p>a lighthouse</p>"), false, at.Add(time.Hour)
	must(t, st.UpdateMemePrompt(ctx, p))
	got, err := st.Prompt(ctx, p.ID)
	must(t, err)
	if got.Anonymous || got.Tags[archive.TypeFandom][0] != "Lakes" || len(got.Tags[archive.TypeCharacter]) != 0 || !got.UpdatedAt.Equal(at.Add(time.Hour)) || !got.CreatedAt.Equal(at) {
		t.Fatalf("edited prompt %+v", got)
	}
	if err := st.UpdateMemePrompt(ctx, &archive.Prompt{ID: 99999}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("editing a missing prompt: %v", err)
	}

	// Claims: many per prompt, one per user.
	c1 := &archive.Claim{PromptID: p.ID, UserID: bo.ID, CreatedAt: at.Add(2 * time.Hour)}
	must(t, st.AddClaim(ctx, c1))
	if c1.ID == 0 || c1.CollectionID != meme.ID {
		t.Fatalf("claim %+v", c1)
	}
	if err := st.AddClaim(ctx, &archive.Claim{PromptID: p.ID, UserID: bo.ID, CreatedAt: at}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("claiming twice: %v", err)
	}
	if err := st.AddClaim(ctx, &archive.Claim{PromptID: 99999, UserID: bo.ID, CreatedAt: at}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("claiming a missing prompt: %v", err)
	}
	c2 := &archive.Claim{PromptID: p.ID, UserID: ann.ID, CreatedAt: at.Add(3 * time.Hour)}
	must(t, st.AddClaim(ctx, c2))
	c3 := &archive.Claim{PromptID: q.ID, UserID: bo.ID, CreatedAt: at.Add(4 * time.Hour)}
	must(t, st.AddClaim(ctx, c3))
	cs, err := st.CollectionClaims(ctx, meme.ID)
	must(t, err)
	if len(cs) != 3 || cs[0].UserName != "bo" || cs[1].UserName != "ann" || cs[0].WorkID != 0 {
		t.Fatalf("claims %+v", cs)
	}
	mine, err := st.UserClaims(ctx, bo.ID)
	must(t, err)
	if len(mine) != 2 || mine[0].ID != c3.ID {
		t.Fatalf("bo's claims %+v", mine)
	}

	// Fills: a work fills claims; another work can't fill them too.
	w := postWork(t, st, bo, "Lighthouse", basicTags("Lakes"))
	w2 := postWork(t, st, ann, "Inn", basicTags("Lakes"))
	must(t, st.SetWorkFills(ctx, w.ID, []int64{c1.ID, c3.ID}, at.Add(5*time.Hour)))
	if err := st.SetWorkFills(ctx, w2.ID, []int64{c2.ID, c1.ID}, at.Add(6*time.Hour)); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("filling another work's claim: %v", err)
	}
	if c, _ := st.Claim(ctx, c2.ID); c.WorkID != 0 {
		t.Fatalf("a refused fill wrote claim %+v", c)
	}
	if err := st.SetWorkFills(ctx, w2.ID, []int64{99999}, at); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("filling a missing claim: %v", err)
	}
	c, err := st.Claim(ctx, c1.ID)
	must(t, err)
	if c.WorkID != w.ID || !c.FilledAt.Equal(at.Add(5*time.Hour)) {
		t.Fatalf("filled claim %+v", c)
	}
	// Naming the claims again keeps their time; leaving one out unfills it.
	must(t, st.SetWorkFills(ctx, w.ID, []int64{c1.ID}, at.Add(7*time.Hour)))
	if c, _ := st.Claim(ctx, c1.ID); !c.FilledAt.Equal(at.Add(5 * time.Hour)) {
		t.Fatalf("refilled claim %+v", c)
	}
	if c, _ := st.Claim(ctx, c3.ID); c.WorkID != 0 || !c.FilledAt.IsZero() {
		t.Fatalf("unfilled claim %+v", c)
	}
	fills, err := st.WorkClaims(ctx, w.ID)
	must(t, err)
	if len(fills) != 1 || fills[0].ID != c1.ID {
		t.Fatalf("work's claims %+v", fills)
	}

	// Dropping a claim; deleting a prompt takes its claims.
	must(t, st.DeleteClaim(ctx, c3.ID))
	if err := st.DeleteClaim(ctx, c3.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("dropping twice: %v", err)
	}
	must(t, st.DeleteMemePrompt(ctx, p.ID))
	if err := st.DeleteMemePrompt(ctx, p.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
	if _, err := st.Claim(ctx, c1.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a deleted prompt's claim: %v", err)
	}
	if list, _ := st.MemePrompts(ctx, meme.ID); len(list) != 1 || list[0].ID != q.ID {
		t.Fatalf("prompts after delete %+v", list)
	}
}
