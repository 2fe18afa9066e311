package site

import (
	"context"
	"fmt"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/store"
)

// MaxHiddenWorks bounds how many works one reader may hide.
const MaxHiddenWorks = 10_000

// readerSets turns a logged-in reader's own filters (exclude_read,
// exclude_kudosed, exclude_bookmarked, marked_for_later) into the sets the
// index intersects. A guest has none of these sets: the flags change nothing.
func (s *Site) readerSets(ctx context.Context, u *archive.User, q *listing.Query) error {
	if u == nil {
		return nil
	}
	for _, f := range []struct {
		on      bool
		set     string
		without bool
	}{
		{q.ExcludeRead, store.SetRead, true}, {q.ExcludeKudosed, store.SetKudosed, true},
		{q.ExcludeBookmarked, store.SetBookmarked, true}, {q.MarkedForLater, store.SetLater, false},
	} {
		if !f.on {
			continue
		}
		if f.set == store.SetRead {
			// Views are written in batches: write the queue first, as the
			// history pages do, so what the reader just read is left out.
			if err := s.FlushReadings(ctx); err != nil {
				return err
			}
		}
		ids, err := s.store.ReaderWorkIDs(ctx, u.ID, f.set)
		if err != nil {
			return err
		}
		b := listing.IDSet(ids)
		if f.without {
			q.Without = append(q.Without, b)
		} else {
			q.Only = append(q.Only, b)
		}
	}
	return nil
}

// HideForReader hides a work from u in every listing, count and facet. Only a
// work u may see can be hidden; hiding one's own work is refused.
func (s *Site) HideForReader(ctx context.Context, u *archive.User, workID int64) error {
	if u == nil {
		return archive.ErrAuth
	}
	w, err := s.Work(ctx, u, workID)
	if err != nil {
		return err
	}
	if w.HasCreatorUser(u.ID) {
		return archive.Invalid("work_id", "you can't hide your own work")
	}
	hidden, err := s.store.ReaderWorkIDs(ctx, u.ID, store.SetHidden)
	if err != nil {
		return err
	}
	if len(hidden) >= MaxHiddenWorks {
		return archive.Invalid("work_id", "you have hidden %d works, the most one reader may; show some again first", MaxHiddenWorks)
	}
	if err := s.store.HideWork(ctx, u.ID, workID, s.Now()); err != nil {
		return fmt.Errorf("hide work: %w", err)
	}
	s.forgetMutes(u.ID)
	return nil
}

// UnhideForReader shows a hidden work to u again.
func (s *Site) UnhideForReader(ctx context.Context, u *archive.User, workID int64) error {
	if u == nil {
		return archive.ErrAuth
	}
	if err := s.store.UnhideWork(ctx, u.ID, workID); err != nil {
		return err
	}
	s.forgetMutes(u.ID)
	return nil
}

// HiddenWork is one work a reader hid, as they may still see it.
type HiddenWork struct {
	Work *archive.Work
	store.HiddenWork
}

// HiddenWorks lists the works u hid (most recent first) that u may still see.
func (s *Site) HiddenWorks(ctx context.Context, u *archive.User) ([]HiddenWork, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	hs, err := s.store.HiddenWorks(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(hs))
	for i, h := range hs {
		ids[i] = h.WorkID
	}
	ws, err := s.worksByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*archive.Work{}
	for _, w := range ws {
		if CanList(u, w) {
			byID[w.ID] = w
		}
	}
	out := []HiddenWork{}
	for _, h := range hs {
		if w := byID[h.WorkID]; w != nil {
			out = append(out, HiddenWork{Work: w, HiddenWork: h})
		}
	}
	return out, nil
}

// IsHidden reports whether u hid the work.
func (s *Site) IsHidden(ctx context.Context, u *archive.User, workID int64) bool {
	if u == nil {
		return false
	}
	e, err := s.mutesOf(ctx, u.ID)
	return err == nil && e.hidden != nil && workID > 0 && e.hidden.Contains(uint32(workID))
}
