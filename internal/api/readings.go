package api

import (
	"cmp"
	"net/http"
	"time"

	"quire/internal/archive"
	"quire/internal/site"
)

// readingJSON is one entry of a reader's history.
type readingJSON struct {
	WorkID         int64     `json:"work_id"`
	Title          string    `json:"title"`
	Available      bool      `json:"available"`
	ChapterID      *int64    `json:"chapter_id"`
	ContinueURL    string    `json:"continue_url,omitempty"`
	Views          int       `json:"views"`
	MarkedForLater bool      `json:"marked_for_later"`
	LastReadAt     time.Time `json:"last_read_at"`
}

// GET /api/v1/me/history[?later=true&page=&per_page=]
func (a *server) history(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	q := r.URL.Query()
	page, perPage, err := pageOf(q.Get("page"), q.Get("per_page"))
	if err != nil {
		return err
	}
	later := q.Get("later") == "true"
	entries, total, err := a.site.History(r.Context(), u, later, page, perPage)
	if err != nil {
		return err
	}
	out := make([]readingJSON, 0, len(entries))
	for _, e := range entries {
		j := readingJSON{WorkID: e.WorkID, Views: e.Views, MarkedForLater: e.MarkedForLater, LastReadAt: e.LastReadAt.UTC(), Available: e.Work != nil}
		if e.Work != nil {
			j.Title = e.Work.Title
			j.ContinueURL = a.site.BaseURL + e.ContinueURL
		}
		if e.ChapterID != 0 && e.Work != nil {
			id := e.ChapterID
			j.ChapterID = &id
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "page": page, "per_page": perPage, "readings": out})
	return nil
}

// DELETE /api/v1/me/history clears it.
func (a *server) clearHistory(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := a.site.ClearHistory(r.Context(), u); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// POST|DELETE /api/v1/works/{id}/mark_for_later
func (a *server) markForLater(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.site.MarkForLater(r.Context(), u, id, r.Method == http.MethodPost); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// pageOf reads page (default 1) and per_page (default 20, at most 100).
func pageOf(p, pp string) (page, perPage int, err error) {
	if page, err = site.PageParam("page", p); err != nil {
		return 0, 0, err
	}
	if perPage, err = site.PageParam("per_page", pp); err != nil {
		return 0, 0, err
	}
	if perPage > 100 {
		return 0, 0, archive.Invalid("per_page", "must be between 1 and 100")
	}
	return max(page, 1), cmp.Or(perPage, 20), nil
}
