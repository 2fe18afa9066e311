package dump_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/dump"
)

// A chapter's own byline and an invitation to a chapter survive export →
// import → export, byte for byte.
func TestRoundTripChapterCreators(t *testing.T) {
	ctx := context.Background()
	src := open(t)
	a := &archive.User{Name: "author", Email: "author@example.test", CreatedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	b := &archive.User{Name: "partner", Email: "partner@example.test", CreatedAt: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)}
	c := &archive.User{Name: "third", Email: "third@example.test", CreatedAt: time.Date(2020, 1, 3, 0, 0, 0, 0, time.UTC)}
	for _, u := range []*archive.User{a, b, c} {
		must(t, src.CreateUser(ctx, u))
	}
	w := post(t, src, []int64{pseudID(t, src, a), pseudID(t, src, b)}, archive.WorkInput{Title: "Relay", Rating: archive.RatingGeneral,
		Warnings: []string{archive.WarningNone}, Fandoms: []string{"Lantern Tales"},
		Chapters: []archive.ChapterInput{{Body: "First part."}, {Body: "Second part."}}})
	cs, err := src.Chapters(ctx, w.ID, false)
	must(t, err)
	must(t, src.SetChapterCreators(ctx, w.ID, cs[1].ID, []int64{pseudID(t, src, b)}))
	must(t, src.InviteCreator(ctx, &archive.CreatorInvitation{WorkID: w.ID, ChapterID: cs[0].ID, PseudID: pseudID(t, src, c), Inviter: "author",
		CreatedAt: time.Date(2023, 1, 3, 10, 0, 0, 0, time.UTC)}))

	first := export(t, src, false)
	for _, want := range []string{`"creators":["partner"]}`, `{"type":"creator_invitation","work_id":1,"chapter_id":1,"pseud":"third"`} {
		if !strings.Contains(string(first), want) {
			t.Errorf("the export lacks %s\n%s", want, first)
		}
	}
	dst := open(t)
	_, err = importInto(t, dst, first, dump.ImportOptions{})
	must(t, err)
	if second := export(t, dst, false); !bytes.Equal(first, second) {
		t.Fatalf("exports differ:\n%s\n---\n%s", first, second)
	}
	got, err := dst.Chapters(ctx, w.ID, false)
	must(t, err)
	if len(got[0].Creators) != 0 || len(got[1].Creators) != 1 || got[1].Creators[0].Pseud != "partner" {
		t.Errorf("imported chapter bylines: %+v / %+v", got[0].Creators, got[1].Creators)
	}
	invs, err := dst.CreatorInvitationsForUser(ctx, 3)
	must(t, err)
	if len(invs) != 1 || invs[0].ChapterPosition != 1 {
		t.Errorf("imported invitations %+v", invs)
	}

	// A chapter crediting someone not on the work's byline is refused.
	bad := bytes.Replace(first, []byte(`"creators":["partner"]}`), []byte(`"creators":["third"]}`), 1)
	if _, err := importInto(t, open(t), bad, dump.ImportOptions{}); err == nil || !strings.Contains(err.Error(), "not among the work's creators") {
		t.Errorf("importing a stray chapter creator: %v", err)
	}
}
