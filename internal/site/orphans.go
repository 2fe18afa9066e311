package site

import (
	"context"
	"fmt"
	"slices"

	"quire/internal/archive"
)

// Orphaning hands works (and series) to the archive's orphan_account for
// good: the creator's pseuds leave their bylines, replaced by
// orphan_account or, with KeepPseud, by an orphan pseud that keeps the
// pseud's name ("Name (orphan_account)", as AO3 shows it). A co-created
// work loses only the orphaning creator. Drafts can't be orphaned (nobody
// could ever post or delete them); "everything" leaves them alone.

// OrphanRequest names what to orphan: works, series (with their works the
// creator made) or, with All, every posted work and series of the account.
type OrphanRequest struct {
	WorkIDs   []int64
	SeriesIDs []int64
	All       bool
	KeepPseud bool
}

// OrphanPlan is what an OrphanRequest comes to: the works and series that
// will change, for the confirmation page.
type OrphanPlan struct {
	Works  []*archive.Work
	Series []*SeriesView
}

// PlanOrphans checks a request by u and lists what it would orphan.
func (s *Site) PlanOrphans(ctx context.Context, u *archive.User, req OrphanRequest) (*OrphanPlan, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	workIDs, seriesIDs := slices.Clone(req.WorkIDs), slices.Clone(req.SeriesIDs)
	if req.All {
		all, err := s.store.WorkIDsByUser(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		ws, err := s.store.WorksByIDs(ctx, all)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			if !w.Draft {
				workIDs = append(workIDs, w.ID)
			}
		}
		ss, err := s.store.SeriesIDsByUser(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		seriesIDs = append(seriesIDs, ss...)
	}
	plan := &OrphanPlan{}
	for _, id := range seriesIDs {
		if slices.ContainsFunc(plan.Series, func(v *SeriesView) bool { return v.ID == id }) {
			continue
		}
		v, err := s.Series(ctx, u, id)
		if err != nil {
			return nil, err
		}
		if !v.HasCreatorUser(u.ID) {
			return nil, fmt.Errorf("series %d belongs to someone else: %w", id, archive.ErrForbidden)
		}
		plan.Series = append(plan.Series, v)
		for _, e := range v.Works {
			if w, err := s.store.Work(ctx, e.WorkID); err == nil && w.HasCreatorUser(u.ID) && !w.Draft {
				workIDs = append(workIDs, w.ID)
			}
		}
	}
	for _, id := range workIDs {
		if slices.ContainsFunc(plan.Works, func(w *archive.Work) bool { return w.ID == id }) {
			continue
		}
		w, err := s.store.Work(ctx, id)
		if err != nil {
			return nil, err
		}
		if !CanView(u, w) {
			return nil, fmt.Errorf("work %d: %w", id, archive.ErrNotFound)
		}
		if !w.HasCreatorUser(u.ID) {
			return nil, fmt.Errorf("work %d belongs to someone else; only its creators can orphan it: %w", id, archive.ErrForbidden)
		}
		if w.Draft {
			return nil, archive.Invalid("works", "“%s” is a draft; drafts can't be orphaned (post or delete it instead)", w.Title)
		}
		plan.Works = append(plan.Works, w)
	}
	if len(plan.Works) == 0 && len(plan.Series) == 0 {
		return nil, archive.Invalid("works", "choose at least one posted work or series to orphan")
	}
	return plan, nil
}

// Orphan carries out a request by u in one transaction and returns the
// works orphaned.
func (s *Site) Orphan(ctx context.Context, u *archive.User, req OrphanRequest) ([]int64, error) {
	plan, err := s.PlanOrphans(ctx, u, req)
	if err != nil {
		return nil, err
	}
	if err := s.CheckWrite(u); err != nil {
		return nil, err
	}
	var works, series []int64
	for _, w := range plan.Works {
		works = append(works, w.ID)
	}
	for _, v := range plan.Series {
		series = append(series, v.ID)
	}
	changed, err := s.store.OrphanWorks(ctx, u.ID, works, series, req.KeepPseud)
	if err != nil {
		return nil, err
	}
	s.reindexAll(ctx, changed)
	return changed, nil
}

// OrphanChoices lists what u may orphan: their posted works (newest
// first) and their series.
func (s *Site) OrphanChoices(ctx context.Context, u *archive.User) ([]*archive.Work, []*SeriesView, error) {
	if u == nil {
		return nil, nil, archive.ErrAuth
	}
	ids, err := s.store.WorkIDsByUser(ctx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	ws, err := s.store.WorksByIDs(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	var out []*archive.Work
	for _, w := range ws {
		if !w.Draft {
			out = append(out, w)
		}
	}
	series, err := s.UserSeries(ctx, u, u)
	if err != nil {
		return nil, nil, err
	}
	return out, series, nil
}
