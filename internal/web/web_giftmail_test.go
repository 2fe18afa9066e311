package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
	"quire/internal/store/testdb"
)

func ptr[T any](v T) *T { return &v }

// Gift notices reach the recipient's inbox and, with e-mail on, their mail
// over real SMTP: when a work is posted, when a scheduled work publishes
// (not before), and when a mystery work is revealed (not before), when its
// subscribers hear of it too. Nobody is told twice.
func TestGiftAndRevealNoticesOverSMTP(t *testing.T) {
	sink := newSMTPSink(t)
	r := openMailRig(t, testdb.Location(t), sink)
	clk := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	r.site.Now, r.jobs.Now = clk.now, clk.now
	ctx := context.Background()
	giver := r.user("giver", false)
	giftee := r.user("giftee", true)
	fan := r.user("fan", true)
	mailsTo := func(who, subject string) int {
		t.Helper()
		n := 0
		for _, m := range sink.messages() {
			if len(m.To) == 1 && m.To[0] == who+"@example.test" && strings.Contains(parseMail(t, m.Data).Subject, subject) {
				n++
			}
		}
		return n
	}
	in := func(title string) archive.WorkInput {
		return archive.WorkInput{Title: title, Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
			Fandoms: []string{"Lantern Tales"}, Gifts: &[]string{"giftee"},
			Chapters: []archive.ChapterInput{{Body: "<p>A small present.</p>"}}}
	}

	// Posted at once: inbox and mail.
	w, err := r.site.PostWork(ctx, giver, in("Paper Boats"))
	if err != nil {
		t.Fatal(err)
	}
	r.runJobs()
	if mailsTo("giftee", "A gift for you: “Paper Boats” by giver") != 1 {
		t.Fatalf("no gift mail; sent %d messages", len(sink.messages()))
	}
	pm := parseMail(t, sink.messages()[0].Data)
	if !strings.Contains(pm.Text, r.srv.URL+"/works/") || !strings.Contains(pm.HTML, "/users/giftee/gifts") {
		t.Errorf("gift mail without links:\n%s\n%s", pm.Text, pm.HTML)
	}
	if v := r.inbox(giftee); v.Total != 1 {
		t.Fatalf("giftee's inbox %d entries", v.Total)
	}
	// Editing the work again tells nobody again.
	if _, err := r.site.EditWork(ctx, giver, w.ID, in("Paper Boats")); err != nil {
		t.Fatal(err)
	}
	r.runJobs()
	if mailsTo("giftee", "Paper Boats") != 1 || r.inbox(giftee).Total != 1 {
		t.Fatal("the recipient was told twice")
	}

	// Scheduled: nothing until it publishes, then inbox and mail.
	sched := in("Lantern Night")
	sched.PublishAt = clk.now().Add(2 * time.Hour)
	if _, err := r.site.PostWork(ctx, giver, sched); err != nil {
		t.Fatal(err)
	}
	r.runJobs()
	if mailsTo("giftee", "Lantern Night") != 0 || r.inbox(giftee).Total != 1 {
		t.Fatal("the recipient was told of a scheduled work before it published")
	}
	clk.add(3 * time.Hour)
	r.runJobs()
	r.runJobs() // the mail job enqueued by the publication
	if mailsTo("giftee", "A gift for you: “Lantern Night”") != 1 || r.inbox(giftee).Total != 2 {
		t.Fatalf("scheduled gift: %d mails, %d inbox", mailsTo("giftee", "Lantern Night"), r.inbox(giftee).Total)
	}

	// An unrevealed, anonymous collection: the recipient and the creator's
	// subscriber hear nothing until the reveal; revealing the works tells
	// the recipient under "Anonymous"; revealing the creators tells the
	// creator's subscriber.
	if _, err := r.site.Subscribe(ctx, fan, site.SubscriptionTarget{Kind: "user", Target: "giver"}); err != nil {
		t.Fatal(err)
	}
	keeper := r.user("keeper", false)
	if _, err := r.site.CreateCollection(ctx, keeper, archive.CollectionInput{Name: ptr("Winter_Fest"), Title: ptr("Winter Fest"),
		Open: ptr(true), Anonymous: ptr(true), Unrevealed: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	mystery := in("Snow Globe")
	mystery.Collections = &[]string{"Winter_Fest"}
	mw, err := r.site.PostWork(ctx, giver, mystery)
	if err != nil {
		t.Fatal(err)
	}
	r.runJobs()
	if mailsTo("giftee", "Snow Globe") != 0 || mailsTo("fan", "Snow Globe") != 0 || r.inbox(giftee).Total != 2 || r.inbox(fan).Total != 0 {
		t.Fatal("a mystery work was announced before its reveal")
	}
	if _, err := r.site.RevealCollection(ctx, keeper, "Winter_Fest", true, false); err != nil {
		t.Fatal(err)
	}
	r.runJobs()
	if mailsTo("giftee", "A gift for you: “Snow Globe” by Anonymous") != 1 || r.inbox(giftee).Total != 3 {
		t.Fatalf("recipient at reveal: %d mails, %d inbox", mailsTo("giftee", "Snow Globe"), r.inbox(giftee).Total)
	}
	for _, m := range sink.messages() {
		if strings.Contains(string(m.Data), "Snow Globe") && strings.Contains(string(m.Data), "giver") {
			t.Fatal("a mail about the anonymous work names its creator")
		}
	}
	if mailsTo("fan", "Snow Globe") != 0 {
		t.Fatal("the creator's subscriber heard of a work whose creator is still anonymous")
	}
	if _, err := r.site.RevealCollection(ctx, keeper, "Winter_Fest", false, true); err != nil {
		t.Fatal(err)
	}
	r.runJobs()
	if mailsTo("fan", "New work “Snow Globe” by giver") != 1 || r.inbox(fan).Total != 1 {
		t.Fatalf("subscriber at reveal: %d mails, %d inbox", mailsTo("fan", "Snow Globe"), r.inbox(fan).Total)
	}
	if mailsTo("giftee", "Snow Globe") != 1 {
		t.Fatal("revealing the creators told the recipient again")
	}
	_ = mw
}
