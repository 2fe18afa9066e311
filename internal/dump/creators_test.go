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

// Invitations, schedules and kept-name orphan pseuds survive export →
// import → export.
func TestRoundTripCreatorsTools(t *testing.T) {
	ctx := context.Background()
	src := open(t)
	a := &archive.User{Name: "author", Email: "author@example.test", CreatedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	b := &archive.User{Name: "partner", Email: "partner@example.test", CreatedAt: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)}
	must(t, src.CreateUser(ctx, a))
	must(t, src.CreateUser(ctx, b))
	in := func(title string) archive.WorkInput {
		return archive.WorkInput{Title: title, Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
			Fandoms: []string{"Lantern Tales"}, Chapters: []archive.ChapterInput{{Body: "First part."}}}
	}
	invited := post(t, src, []int64{pseudID(t, src, a)}, in("Invited Work"))
	must(t, src.InviteCreator(ctx, &archive.CreatorInvitation{WorkID: invited.ID, PseudID: pseudID(t, src, b), Inviter: "author", CreatedAt: time.Date(2023, 1, 3, 10, 0, 0, 0, time.UTC)}))

	future := now.Add(48 * time.Hour).Truncate(time.Second)
	later := post(t, src, []int64{pseudID(t, src, a)}, in("Later Chapters"))
	c := &archive.Chapter{WorkID: later.ID, Body: archive.Rich{Source: "Soon.", Format: archive.FormatHTML, HTML: "<p>Soon.</p>"}, Words: 1,
		Draft: true, PublishAt: future, PostedAt: now}
	must(t, src.CreateChapter(ctx, c))
	wi := in("Premiere")
	wi.PublishAt = future
	post(t, src, []int64{pseudID(t, src, a)}, wi)

	kept := post(t, src, []int64{pseudID(t, src, a)}, in("Left Behind"))
	_, err := src.OrphanWorks(ctx, a.ID, []int64{kept.ID}, nil, true)
	must(t, err)

	_, err = src.RenameUser(ctx, a.ID, "penwright", time.Date(2023, 2, 1, 0, 0, 0, 0, time.UTC))
	must(t, err)
	first := export(t, src, false)
	for _, want := range []string{
		`{"type":"creator_invitation","work_id":1,"pseud":"partner","from":"author","created_at":"2023-01-03T10:00:00Z"}`,
		`"former_names":[{"name":"author","renamed_at":"2023-02-01T00:00:00Z"}]`,
		`"publish_at":"` + future.Format(time.RFC3339) + `"`,
		`"creators":["author (orphan_account)"]`,
	} {
		if !strings.Contains(string(first), want) {
			t.Errorf("the export lacks %s\n%s", want, first)
		}
	}
	if n := strings.Count(string(first), `"publish_at"`); n != 2 {
		t.Errorf("%d schedules in the export, want 2 (a chapter and a work)", n)
	}
	dst := open(t)
	stats, err := importInto(t, dst, first, dump.ImportOptions{})
	must(t, err)
	if stats.CreatorInvitations != 1 {
		t.Errorf("stats %+v", stats)
	}
	if second := export(t, dst, false); !bytes.Equal(first, second) {
		t.Fatalf("exports differ:\n%s\n---\n%s", first, second)
	}
	invs, err := dst.CreatorInvitationsForUser(ctx, 2)
	must(t, err)
	if len(invs) != 1 || invs[0].WorkTitle != "Invited Work" {
		t.Errorf("imported invitations %+v", invs)
	}
	scs, err := dst.PendingSchedules(ctx)
	must(t, err)
	if len(scs) != 2 || !scs[0].At.Equal(future) {
		t.Errorf("imported schedules %+v", scs)
	}
	if owner, _, err := dst.FormerNameOwner(ctx, "author"); err != nil || owner.Name != "penwright" {
		t.Errorf("imported former name: %+v %v", owner, err)
	}
}
