package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

func testReports(t *testing.T, st store.Store) {
	ctx := context.Background()
	alice, bob, mod := newUser(t, st, "alice"), newUser(t, st, "bob"), newUser(t, st, "mod")
	w := postWork(t, st, alice, "Reported Work", basicTags("Fandom A"), "first", "second")
	other := postWork(t, st, alice, "Other Work", basicTags("Fandom A"), "body")
	at := func(m int) time.Time { return time.Date(2024, 6, 1, 12, m, 0, 0, time.UTC) }
	workT := archive.ReportTarget{Kind: archive.ReportWork, ID: w.ID}

	byBob := &archive.Report{Target: workT, Reason: "spam", Details: "Adverts in chapter 2.", ReporterID: bob.ID,
		Snapshot: archive.ReportSnapshot{Title: "Reported Work", By: "alice", Text: "first\n\nsecond", URL: "/works/1"}, CreatedAt: at(1)}
	must(t, st.CreateReport(ctx, byBob))
	byGuest := &archive.Report{Target: workT, Reason: "plagiarism", ReporterEmail: "guest@example.test", AddressHash: "hash-1",
		Snapshot: archive.ReportSnapshot{Title: "Reported Work"}, CreatedAt: at(2)}
	must(t, st.CreateReport(ctx, byGuest))
	if byBob.ID == 0 || byGuest.ID == 0 || byBob.ID == byGuest.ID {
		t.Fatalf("ids %d, %d", byBob.ID, byGuest.ID)
	}
	// One open report per reporter and target, account or guest address.
	for _, r := range []*archive.Report{
		{Target: workT, Reason: "other", ReporterID: bob.ID, CreatedAt: at(3)},
		{Target: workT, Reason: "other", AddressHash: "hash-1", CreatedAt: at(3)},
	} {
		if err := st.CreateReport(ctx, r); !errors.Is(err, archive.ErrConflict) {
			t.Errorf("a second open report of the same target: %v, want ErrConflict", err)
		}
	}
	userT := archive.ReportTarget{Kind: archive.ReportUser, ID: alice.ID, Name: "alice"}
	must(t, st.CreateReport(ctx, &archive.Report{Target: userT, Reason: "harassment", ReporterID: bob.ID, CreatedAt: at(4)}))
	must(t, st.CreateReport(ctx, &archive.Report{Target: workT, Reason: "other", AddressHash: "hash-2", CreatedAt: at(5)}))

	got, err := st.Report(ctx, byBob.ID)
	must(t, err)
	if got.Target != workT || got.Reason != "spam" || got.Details != "Adverts in chapter 2." || got.State != archive.ReportOpen ||
		got.ReporterName != "bob" || got.Snapshot.Text != "first\n\nsecond" || !got.CreatedAt.Equal(at(1)) {
		t.Errorf("report %+v", got)
	}
	if _, err := st.Report(ctx, 9999); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("unknown report: %v", err)
	}

	// The queue: newest first, each with the count of its target's reports.
	open, err := st.Reports(ctx, store.ReportFilter{State: archive.ReportOpen})
	must(t, err)
	if len(open) != 4 || !open[0].CreatedAt.Equal(at(5)) || open[3].ID != byBob.ID {
		t.Fatalf("open reports %d", len(open))
	}
	for _, r := range open {
		want := 3
		if r.Target.Kind == archive.ReportUser {
			want = 1
			if r.Target.Name != "alice" || r.Target.ID != alice.ID {
				t.Errorf("user target %+v", r.Target)
			}
		}
		if r.Count != want {
			t.Errorf("report %d of %s: count %d, want %d", r.ID, r.Target, r.Count, want)
		}
	}
	spam, err := st.Reports(ctx, store.ReportFilter{Reason: "spam"})
	must(t, err)
	if len(spam) != 1 || spam[0].ID != byBob.ID || spam[0].Count != 1 {
		t.Errorf("spam reports %+v", spam)
	}
	ofBob, err := st.Reports(ctx, store.ReportFilter{ReporterID: bob.ID})
	must(t, err)
	if len(ofBob) != 2 || ofBob[0].ReporterID != bob.ID || ofBob[1].ID != byBob.ID {
		t.Errorf("bob's reports: %d", len(ofBob))
	}
	ofWork, err := st.Reports(ctx, store.ReportFilter{Target: &workT})
	must(t, err)
	if len(ofWork) != 3 || ofWork[0].Count != 3 {
		t.Errorf("reports of the work: %d", len(ofWork))
	}
	// A reported account that is gone is matched by its name.
	ghost := archive.ReportTarget{Kind: archive.ReportUser, Name: "ghost"}
	must(t, st.CreateReport(ctx, &archive.Report{Target: ghost, Reason: "spam", AddressHash: "hash-3", CreatedAt: at(6)}))
	ofGhost, err := st.Reports(ctx, store.ReportFilter{Target: &ghost})
	must(t, err)
	if len(ofGhost) != 1 || ofGhost[0].Target != ghost {
		t.Errorf("reports of a gone account: %+v", ofGhost)
	}
	limited, err := st.Reports(ctx, store.ReportFilter{Limit: 2})
	must(t, err)
	if len(limited) != 2 {
		t.Errorf("limit 2 gave %d", len(limited))
	}

	// Resolving with an assignee and notes.
	must(t, st.UpdateReport(ctx, byBob.ID, archive.ReportResolved, mod.ID, &archive.ReportNote{AuthorID: mod.ID, Author: "mod", Text: "Looked.", At: at(10)}, at(10)))
	must(t, st.UpdateReport(ctx, byBob.ID, archive.ReportResolved, mod.ID, &archive.ReportNote{AuthorID: mod.ID, Author: "mod", Text: "Done.", At: at(11)}, at(11)))
	got, err = st.Report(ctx, byBob.ID)
	must(t, err)
	if got.State != archive.ReportResolved || got.AssigneeName != "mod" || got.AssigneeID != mod.ID || len(got.Notes) != 2 ||
		got.Notes[0].Text != "Looked." || got.Notes[1].Author != "mod" || !got.UpdatedAt.Equal(at(11)) {
		t.Errorf("resolved report %+v", got)
	}
	if err := st.UpdateReport(ctx, 9999, archive.ReportResolved, 0, nil, at(12)); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("updating an unknown report: %v", err)
	}
	// Once resolved, bob may report the work again; the old one can't be
	// reopened beside the new one.
	again := &archive.Report{Target: workT, Reason: "spam", ReporterID: bob.ID, CreatedAt: at(13)}
	must(t, st.CreateReport(ctx, again))
	if err := st.UpdateReport(ctx, byBob.ID, archive.ReportOpen, 0, nil, at(14)); !errors.Is(err, archive.ErrConflict) {
		t.Errorf("reopening beside another open report: %v", err)
	}
	resolved, err := st.Reports(ctx, store.ReportFilter{State: archive.ReportResolved})
	must(t, err)
	if len(resolved) != 1 || resolved[0].ID != byBob.ID || len(resolved[0].Notes) != 2 {
		t.Errorf("resolved list %+v", resolved)
	}

	// The rate limit's counter: by account, or by guest address.
	times, err := st.ReportTimesSince(ctx, bob.ID, "", at(2))
	must(t, err)
	if len(times) != 2 || !times[0].Equal(at(4)) || !times[1].Equal(at(13)) {
		t.Errorf("bob's reports since :02: %v", times)
	}
	times, err = st.ReportTimesSince(ctx, 0, "hash-1", at(0))
	must(t, err)
	if len(times) != 1 || !times[0].Equal(at(2)) {
		t.Errorf("hash-1's reports: %v", times)
	}

	chapters, err := st.Chapters(ctx, other.ID, false)
	must(t, err)
	if id, err := st.ChapterWorkID(ctx, chapters[0].ID); err != nil || id != other.ID {
		t.Errorf("chapter's work: %d, %v", id, err)
	}
	if _, err := st.ChapterWorkID(ctx, 9999); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("unknown chapter: %v", err)
	}

	// Reports and their snapshots outlive the work, the reporter and the
	// assignee.
	must(t, st.DeleteWork(ctx, w.ID))
	_, _, err = st.DeleteUser(ctx, bob.ID, false)
	must(t, err)
	_, _, err = st.DeleteUser(ctx, mod.ID, false)
	must(t, err)
	got, err = st.Report(ctx, byBob.ID)
	must(t, err)
	if got.Snapshot.Title != "Reported Work" || got.ReporterID != 0 || got.ReporterName != "" || got.AssigneeID != 0 ||
		len(got.Notes) != 2 || got.Notes[0].Author != "mod" {
		t.Errorf("after deletions: %+v", got)
	}
}

// testReportPages: paging the queue by target gives, page after page, the
// same reports as grouping the whole list by target (a brute-force
// reference): whole targets, ordered by their newest selected report.
func testReportPages(t *testing.T, st store.Store) {
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(11, 12))
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 60 {
		tg := archive.ReportTarget{Kind: archive.ReportWork, ID: int64(1 + rnd.IntN(9))}
		if rnd.IntN(4) == 0 {
			tg = archive.ReportTarget{Kind: archive.ReportUser, Name: fmt.Sprintf("gone%d", rnd.IntN(3))}
		}
		r := &archive.Report{Target: tg, Reason: archive.ReportReasons[rnd.IntN(3)], AddressHash: fmt.Sprintf("h%d", i),
			State: []string{archive.ReportOpen, archive.ReportResolved}[rnd.IntN(2)], CreatedAt: base.Add(time.Duration(i) * time.Minute)}
		must(t, st.CreateReport(ctx, r))
	}
	key := func(r *archive.Report) string { return r.Target.String() }
	for _, f := range []store.ReportFilter{{}, {State: archive.ReportOpen}, {Reason: archive.ReportReasons[0]}, {State: archive.ReportResolved, Reason: archive.ReportReasons[1]}} {
		all, err := st.Reports(ctx, f)
		must(t, err)
		// The reference: groups in the order of their newest report.
		var order []string
		groups := map[string][]int64{}
		for _, r := range all {
			if groups[key(r)] == nil {
				order = append(order, key(r))
			}
			groups[key(r)] = append(groups[key(r)], r.ID)
		}
		n, err := st.CountReportTargets(ctx, f)
		must(t, err)
		if n != len(order) {
			t.Fatalf("%+v: %d targets, want %d", f, n, len(order))
		}
		for _, per := range []int{1, 2, 5, 100} {
			var got []string
			for off := 0; off < n+per; off += per {
				pf := f
				pf.TargetOffset, pf.Targets = off, per
				page, err := st.Reports(ctx, pf)
				must(t, err)
				var keys []string
				for _, r := range page {
					if len(keys) == 0 || keys[len(keys)-1] != key(r) {
						keys = append(keys, key(r))
						got = append(got, key(r))
					}
					if want := len(groups[key(r)]); r.Count != want {
						t.Fatalf("%+v per %d: report %d counts %d, want %d", f, per, r.ID, r.Count, want)
					}
				}
				if len(keys) > per {
					t.Fatalf("%+v: a page of %d holds %d targets", f, per, len(keys))
				}
				var ids []int64
				for _, k := range keys {
					ids = append(ids, groups[k]...)
				}
				var pageIDs []int64
				for _, r := range page {
					pageIDs = append(pageIDs, r.ID)
				}
				if fmt.Sprint(ids) != fmt.Sprint(pageIDs) {
					t.Fatalf("%+v per %d from %d: reports %v, want %v", f, per, off, pageIDs, ids)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(order) {
				t.Fatalf("%+v per %d: targets %v, want %v", f, per, got, order)
			}
		}
	}
}
