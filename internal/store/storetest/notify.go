package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

func testSubscriptionsAndInbox(t *testing.T, st store.Store) {
	ctx := context.Background()
	alice := newUser(t, st, "alice")
	bob := newUser(t, st, "bob")
	w := postWork(t, st, alice, "Followed", basicTags("F"), "one")
	at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

	sub := &store.Subscription{UserID: bob.ID, Kind: store.SubWork, Target: w.ID, CreatedAt: at}
	must(t, st.Subscribe(ctx, sub))
	if sub.ID == 0 {
		t.Fatal("no subscription id")
	}
	if err := st.Subscribe(ctx, &store.Subscription{UserID: bob.ID, Kind: store.SubWork, Target: w.ID, CreatedAt: at}); !errors.Is(err, archive.ErrConflict) {
		t.Errorf("second subscription: %v, want ErrConflict", err)
	}
	must(t, st.Subscribe(ctx, &store.Subscription{UserID: bob.ID, Kind: store.SubUser, Target: alice.ID, CreatedAt: at}))
	subs, err := st.SubscribersOf(ctx, []store.SubTarget{{Kind: store.SubWork, Target: w.ID}, {Kind: store.SubUser, Target: alice.ID}})
	must(t, err)
	if len(subs) != 2 {
		t.Errorf("subscribers %d, want 2", len(subs))
	}
	if got, err := st.Subscription(ctx, sub.ID); err != nil || got.UserID != bob.ID || got.Kind != store.SubWork || got.Target != w.ID || !got.CreatedAt.Equal(at) {
		t.Errorf("subscription %+v %v", got, err)
	}
	if secret, err := st.NotifySecret(ctx); err != nil || len(secret) < 32 {
		t.Errorf("notify secret %q %v", secret, err)
	}

	// Inbox: newest first, read flags, paging, deletion only of one's own.
	cs, err := st.Chapters(ctx, w.ID, false)
	must(t, err)
	var es []*store.InboxEntry
	for i := 0; i < 3; i++ {
		es = append(es, &store.InboxEntry{UserID: bob.ID, Kind: store.InboxChapter, WorkID: w.ID, ChapterID: cs[0].ID, Actor: "alice", WorkTitle: "Followed", CreatedAt: at})
	}
	must(t, st.AddInboxEntries(ctx, es))
	p, err := st.InboxEntries(ctx, bob.ID, false, 0, 2)
	must(t, err)
	if p.Total != 3 || p.Unread != 3 || len(p.Entries) != 2 || p.Entries[0].ID != es[2].ID || p.Entries[0].ChapterPosition != 1 || p.Entries[0].WorkTitle != "Followed" {
		t.Errorf("inbox page %+v", p)
	}
	n, err := st.MarkInboxRead(ctx, bob.ID, []int64{es[0].ID}, true)
	must(t, err)
	if n != 1 {
		t.Errorf("marked %d", n)
	}
	if n, _ := st.MarkInboxRead(ctx, alice.ID, []int64{es[1].ID}, true); n != 0 {
		t.Errorf("alice marked bob's entry")
	}
	if n, err := st.CountInboxEntries(ctx, alice.ID, []int64{es[1].ID}); err != nil || n != 0 {
		t.Errorf("alice owns %d of bob's entries (%v)", n, err)
	}
	if n, err := st.CountInboxEntries(ctx, bob.ID, []int64{es[0].ID, es[1].ID, es[1].ID + 1000}); err != nil || n != 2 {
		t.Errorf("bob owns %d of his two entries and a missing one, want 2 (%v)", n, err)
	}
	if u, _ := st.UnreadCount(ctx, bob.ID); u != 2 {
		t.Errorf("unread %d, want 2", u)
	}
	if p, _ := st.InboxEntries(ctx, bob.ID, true, 0, 10); p.Total != 2 || len(p.Entries) != 2 {
		t.Errorf("unread only %+v", p)
	}
	if n, _ := st.DeleteInboxEntries(ctx, alice.ID, []int64{es[1].ID}); n != 0 {
		t.Errorf("alice deleted bob's entry")
	}
	if n, _ := st.DeleteInboxEntries(ctx, bob.ID, []int64{es[1].ID}); n != 1 {
		t.Errorf("delete: %d", n)
	}
	if n, _ := st.MarkInboxRead(ctx, bob.ID, nil, true); n != 1 {
		t.Errorf("mark all: %d", n)
	}

	// Deleting the work takes its subscriptions and inbox entries along.
	must(t, st.DeleteWork(ctx, w.ID))
	if subs, _ := st.SubscriptionsByUser(ctx, bob.ID); len(subs) != 1 || subs[0].Kind != store.SubUser {
		t.Errorf("subscriptions after work deletion: %+v", subs)
	}
	if p, _ := st.InboxEntries(ctx, bob.ID, false, 0, 10); p.Total != 0 {
		t.Errorf("inbox after work deletion: %+v", p)
	}
	must(t, st.Unsubscribe(ctx, bob.ID, store.SubUser, alice.ID))
	if err := st.Unsubscribe(ctx, bob.ID, store.SubUser, alice.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("second unsubscribe: %v", err)
	}
}
