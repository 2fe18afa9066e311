package site

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"quire/internal/archive"
	"quire/internal/text"
)

// Series visibility: a series is visible to its creators (and admins)
// always, and to anyone else when at least one of its works is visible to
// them; otherwise it is "not found". Its page and its API list only the
// works the viewer may see (site.CanView), each at its stored position, so
// "Part 3" stays part 3 for everyone even when part 2 is a draft.

// SeriesInput is a series as a creator submits it.
type SeriesInput struct {
	Title         string
	Summary       string
	SummaryFormat archive.Format
	Notes         string
	NotesFormat   archive.Format
	Complete      bool
	// Pseud credits the series to one of the creator's pseuds (default
	// pseud when empty; used on create only).
	Pseud string
}

// SeriesInputFrom is the stored series as an edit starts from it.
func SeriesInputFrom(sr *archive.Series) SeriesInput {
	return SeriesInput{Title: sr.Title, Summary: sr.Summary.Source, SummaryFormat: sr.Summary.Format,
		Notes: sr.Notes.Source, NotesFormat: sr.Notes.Format, Complete: sr.Complete}
}

// SeriesWork is one work of a series as a viewer sees it.
type SeriesWork struct {
	Position int
	Work     *archive.Work
}

// SeriesView is a series with the works the viewer may see.
type SeriesView struct {
	*archive.Series
	Visible []SeriesWork
	CanEdit bool
	// Masked: a work in it hides its creators from the viewer (an
	// anonymous or unrevealed collection's), so the series' byline says
	// "Anonymous" too, as on AO3, and the creators' pages leave it out.
	Masked bool
}

// SeriesPart is a work's place in one series for the work page: its
// position and the previous and next parts the viewer may see.
type SeriesPart struct {
	ID       int64
	Title    string
	Position int
	Prev     *archive.Work
	Next     *archive.Work
}

func renderRich(field, source string, f archive.Format, limit int) (archive.Rich, error) {
	source = text.ValidUTF8(source)
	if f == "" {
		f = archive.FormatHTML
	}
	if f != archive.FormatHTML && f != archive.FormatMarkdown {
		return archive.Rich{}, archive.Invalid(field+"_format", "format must be html or markdown, not %q", string(f))
	}
	if strings.TrimSpace(source) == "" {
		return archive.Rich{Format: f}, nil
	}
	html := text.Render(source, string(f))
	if n := text.CountChars(html); n > limit {
		return archive.Rich{}, archive.Invalid(field, "is %d characters long; the limit is %d", n, limit)
	}
	return archive.Rich{Source: source, Format: f, HTML: html}, nil
}

// applySeriesInput validates in onto sr (the limits of a work's fields).
func applySeriesInput(sr *archive.Series, in SeriesInput) error {
	title, err := archive.CleanTitle("title", in.Title, true, archive.MaxTitleLength)
	if err != nil {
		return err
	}
	summary, err := renderRich("summary", in.Summary, in.SummaryFormat, archive.MaxSummaryLength)
	if err != nil {
		return err
	}
	notes, err := renderRich("notes", in.Notes, in.NotesFormat, archive.MaxNotesLength)
	if err != nil {
		return err
	}
	sr.Title, sr.Summary, sr.Notes, sr.Complete = title, summary, notes, in.Complete
	return nil
}

// CanEditSeries reports whether u may change the series: its creators and admins.
func CanEditSeries(u *archive.User, sr *archive.Series) bool {
	return u != nil && (sr.HasCreatorUser(u.ID) || u.IsAdmin())
}

// CreateSeries creates a series credited to one of u's pseuds.
func (s *Site) CreateSeries(ctx context.Context, u *archive.User, in SeriesInput) (*archive.Series, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	sr := &archive.Series{}
	if err := applySeriesInput(sr, in); err != nil {
		return nil, err
	}
	var names []string
	if strings.TrimSpace(in.Pseud) != "" {
		names = []string{in.Pseud}
	}
	pseuds, err := s.bylinePseuds(ctx, u, names)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateSeries(ctx, sr, pseuds); err != nil {
		return nil, err
	}
	return s.store.SeriesByID(ctx, sr.ID)
}

// Series loads a series for u with the works u may see, or ErrNotFound.
func (s *Site) Series(ctx context.Context, u *archive.User, id int64) (*SeriesView, error) {
	sr, err := s.store.SeriesByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &SeriesView{Series: sr, CanEdit: CanEditSeries(u, sr)}
	ids := make([]int64, 0, len(sr.Works))
	for _, e := range sr.Works {
		ids = append(ids, e.WorkID)
	}
	ws, err := s.worksByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	ws = s.withReaderCounts(ctx, u, ws)
	byID := make(map[int64]*archive.Work, len(ws))
	for _, w := range ws {
		byID[w.ID] = w
	}
	for _, e := range sr.Works {
		if w := byID[e.WorkID]; w != nil && CanList(u, w) {
			m := s.maskFor(ctx, u, w)
			if m != w {
				v.Masked = true
			}
			v.Visible = append(v.Visible, SeriesWork{Position: e.Position, Work: m})
		}
	}
	if v.Masked {
		anon := *sr
		anon.Creators = []archive.Creator{{Pseud: AnonymousCreator}}
		v.Series = &anon
	}
	if len(v.Visible) == 0 && !v.CanEdit {
		return nil, fmt.Errorf("series %d: %w", id, archive.ErrNotFound)
	}
	return v, nil
}

// editableSeries loads a series u may change: ErrNotFound when u may not
// see it, ErrForbidden when u may see it but not change it.
func (s *Site) editableSeries(ctx context.Context, u *archive.User, id int64) (*SeriesView, error) {
	v, err := s.Series(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, archive.ErrAuth
	}
	if !v.CanEdit {
		return nil, fmt.Errorf("series %d belongs to someone else: %w", id, archive.ErrForbidden)
	}
	return v, nil
}

// EditSeries saves new title, summary, notes and complete.
func (s *Site) EditSeries(ctx context.Context, u *archive.User, id int64, in SeriesInput) (*archive.Series, error) {
	v, err := s.editableSeries(ctx, u, id)
	if err != nil {
		return nil, err
	}
	sr := v.Series
	if err := applySeriesInput(sr, in); err != nil {
		return nil, err
	}
	if err := s.store.UpdateSeries(ctx, sr); err != nil {
		return nil, err
	}
	return s.store.SeriesByID(ctx, id)
}

// DeleteSeries deletes a series; its works stay.
func (s *Site) DeleteSeries(ctx context.Context, u *archive.User, id int64) error {
	if _, err := s.editableSeries(ctx, u, id); err != nil {
		return err
	}
	return s.store.DeleteSeries(ctx, id)
}

// AddToSeries puts one of u's works into one of u's series at position
// (0 = at the end), or moves it there. u must be a creator of both.
func (s *Site) AddToSeries(ctx context.Context, u *archive.User, seriesID, workID int64, position int) error {
	if u == nil {
		return archive.ErrAuth
	}
	if position < 0 {
		return archive.Invalid("position", "must be 1 or more (or 0 for the end)")
	}
	if _, err := s.editableSeries(ctx, u, seriesID); err != nil {
		return err
	}
	if _, err := s.EditableWork(ctx, u, workID); err != nil {
		return err
	}
	return s.store.SetSeriesWork(ctx, seriesID, workID, position)
}

// RemoveFromSeries takes a work out of a series: the series' creators and
// the work's creators may.
func (s *Site) RemoveFromSeries(ctx context.Context, u *archive.User, seriesID, workID int64) error {
	if u == nil {
		return archive.ErrAuth
	}
	v, err := s.Series(ctx, u, seriesID)
	if err != nil {
		return err
	}
	if !v.CanEdit {
		if _, err := s.EditableWork(ctx, u, workID); err != nil {
			return err
		}
	}
	return s.store.RemoveSeriesWork(ctx, seriesID, workID)
}

// SeriesRefs returns the series each work is in (no visibility applies: a
// work's series show wherever the work does).
func (s *Site) SeriesRefs(ctx context.Context, workIDs []int64) (map[int64][]archive.SeriesRef, error) {
	return s.store.SeriesOfWorks(ctx, workIDs)
}

// WorkSeries is the work page's "Part N of" lines: every series the work is
// in, with the previous and next parts u may see.
func (s *Site) WorkSeries(ctx context.Context, u *archive.User, w *archive.Work) ([]SeriesPart, error) {
	if w.Masked {
		return nil, nil // a series' byline would name the hidden creators
	}
	refs, err := s.store.SeriesOfWorks(ctx, []int64{w.ID})
	if err != nil {
		return nil, err
	}
	var out []SeriesPart
	for _, ref := range refs[w.ID] {
		part := SeriesPart{ID: ref.ID, Title: ref.Title, Position: ref.Position}
		v, err := s.Series(ctx, u, ref.ID)
		if errors.Is(err, archive.ErrNotFound) {
			continue // a series u sees no work of (this one hidden from lists)
		}
		if err != nil {
			return nil, err
		}
		for _, sw := range v.Visible {
			if sw.Position < ref.Position {
				part.Prev = sw.Work
			}
			if sw.Position > ref.Position && part.Next == nil {
				part.Next = sw.Work
			}
		}
		out = append(out, part)
	}
	return out, nil
}

// UserSeries lists the series an account created that u may see.
func (s *Site) UserSeries(ctx context.Context, u *archive.User, owner *archive.User) ([]*SeriesView, error) {
	ids, err := s.store.SeriesIDsByUser(ctx, owner.ID)
	if err != nil {
		return nil, err
	}
	var out []*SeriesView
	for _, id := range ids {
		v, err := s.Series(ctx, u, id)
		if errors.Is(err, archive.ErrNotFound) {
			continue // not visible to u
		}
		if err != nil {
			return nil, err
		}
		if v.Masked {
			continue // listing it under owner would name them
		}
		out = append(out, v)
	}
	return out, nil
}
