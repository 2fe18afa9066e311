package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// seriesRefJSON is one entry of a WORK's series[].
type seriesRefJSON struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Position int    `json:"position"`
}

// fillSeries sets series[] on works rendered by a.work.
func (a *server) fillSeries(ctx context.Context, js ...*workJSON) error {
	ids := make([]int64, 0, len(js))
	for _, j := range js {
		ids = append(ids, j.ID)
	}
	refs, err := a.site.SeriesRefs(ctx, ids)
	if err != nil {
		return err
	}
	for _, j := range js {
		list := make([]any, 0, len(refs[j.ID]))
		for _, r := range refs[j.ID] {
			list = append(list, seriesRefJSON{ID: r.ID, Title: r.Title, Position: r.Position})
		}
		j.Series = list
	}
	return nil
}

// seriesJSON is a series with the works the caller may see, in order.
type seriesJSON struct {
	ID        int64             `json:"id"`
	Title     string            `json:"title"`
	Creators  []string          `json:"creators"`
	Summary   string            `json:"summary"`
	Notes     string            `json:"notes"`
	Complete  bool              `json:"complete"`
	CreatedAt *string           `json:"created_at"`
	UpdatedAt *string           `json:"updated_at"`
	URL       string            `json:"url"`
	Works     []*seriesWorkJSON `json:"works"`
	// Bookmarks counts the public bookmarks of the series the caller sees.
	Bookmarks int64 `json:"bookmarks"`
}

// seriesWorkJSON is a WORK with its position in the series.
type seriesWorkJSON struct {
	Position int `json:"position"`
	*workJSON
}

func (a *server) seriesOut(ctx context.Context, u *archive.User, v *site.SeriesView) (*seriesJSON, error) {
	j := &seriesJSON{ID: v.ID, Title: v.Title, Creators: make([]string, 0, len(v.Creators)), Summary: v.Summary.HTML, Notes: v.Notes.HTML,
		Complete: v.Complete, CreatedAt: timestamp(v.CreatedAt), UpdatedAt: timestamp(v.UpdatedAt),
		URL: strings.TrimRight(a.site.BaseURL, "/") + "/series/" + strconv.FormatInt(v.ID, 10), Works: make([]*seriesWorkJSON, 0, len(v.Visible))}
	for _, c := range v.Creators {
		j.Creators = append(j.Creators, c.Pseud)
	}
	var ws []*workJSON
	for _, sw := range v.Visible {
		wj := a.work(u, sw.Work)
		ws = append(ws, wj)
		j.Works = append(j.Works, &seriesWorkJSON{Position: sw.Position, workJSON: wj})
	}
	if err := a.fillSeries(ctx, ws...); err != nil {
		return nil, err
	}
	n, err := a.site.SeriesBookmarkCount(ctx, u, v.ID)
	if err != nil {
		return nil, err
	}
	j.Bookmarks = n
	return j, nil
}

// seriesBody is a series as POST and PATCH accept it.
type seriesBody struct {
	Title         string  `json:"title"`
	Summary       string  `json:"summary"`
	SummaryFormat *string `json:"summary_format"`
	Notes         string  `json:"notes"`
	NotesFormat   *string `json:"notes_format"`
	Complete      bool    `json:"complete"`
	Creator       string  `json:"creator"` // one of the caller's pseuds (create only)
}

func (b *seriesBody) apply(in *site.SeriesInput, present map[string]bool) {
	if present["title"] {
		in.Title = b.Title
	}
	if present["summary"] {
		in.Summary = b.Summary
	}
	if present["summary_format"] {
		in.SummaryFormat = format(b.SummaryFormat)
	}
	if present["notes"] {
		in.Notes = b.Notes
	}
	if present["notes_format"] {
		in.NotesFormat = format(b.NotesFormat)
	}
	if present["complete"] {
		in.Complete = b.Complete
	}
}

func (a *server) writeSeries(w http.ResponseWriter, r *http.Request, u *archive.User, status int, id int64) error {
	v, err := a.site.Series(r.Context(), u, id)
	if err != nil {
		return err
	}
	j, err := a.seriesOut(r.Context(), u, v)
	if err != nil {
		return err
	}
	writeJSON(w, status, j)
	return nil
}

// POST /api/v1/series
func (a *server) createSeries(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b seriesBody
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	var in site.SeriesInput
	b.apply(&in, present)
	in.Pseud = b.Creator
	sr, err := a.site.CreateSeries(r.Context(), u, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/series/"+strconv.FormatInt(sr.ID, 10))
	return a.writeSeries(w, r, u, http.StatusCreated, sr.ID)
}

// GET /api/v1/series/{id}
func (a *server) getSeries(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return a.writeSeries(w, r, u, http.StatusOK, id)
}

// PATCH /api/v1/series/{id}: only the fields present change.
func (a *server) editSeries(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.site.Series(r.Context(), u, id)
	if err != nil {
		return err
	}
	if !v.CanEdit {
		return archive.ErrForbidden
	}
	var b seriesBody
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	in := site.SeriesInputFrom(v.Series)
	b.apply(&in, present)
	if _, err := a.site.EditSeries(r.Context(), u, id, in); err != nil {
		return err
	}
	return a.writeSeries(w, r, u, http.StatusOK, id)
}

// DELETE /api/v1/series/{id}
func (a *server) deleteSeries(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.site.DeleteSeries(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// PUT /api/v1/series/{id}/works/{work_id} {"position"} (body optional; no
// position = at the end): adds or moves one of the caller's works.
func (a *server) putSeriesWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	wid, err := pathID(r, "work_id")
	if err != nil {
		return err
	}
	var b struct {
		Position int `json:"position"`
	}
	if r.ContentLength != 0 {
		if _, err := a.readJSON(w, r, &b); err != nil {
			return err
		}
	}
	if err := a.site.AddToSeries(r.Context(), u, id, wid, b.Position); err != nil {
		return err
	}
	return a.writeSeries(w, r, u, http.StatusOK, id)
}

// DELETE /api/v1/series/{id}/works/{work_id}
func (a *server) deleteSeriesWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	wid, err := pathID(r, "work_id")
	if err != nil {
		return err
	}
	if err := a.site.RemoveFromSeries(r.Context(), u, id, wid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
