package web

import (
	"net/http"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// historyPage is a reader's history (or Marked for Later list).
type historyPage struct {
	Name    string
	Later   bool
	Entries []site.HistoryEntry
	Total   int
	Paused  bool
}

func (srv *Server) readings(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if r.PathValue("name") != u.Name {
		return archive.ErrNotFound
	}
	later := r.URL.Query().Get("show") == "to-read"
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	entries, total, err := srv.site.History(r.Context(), u, later, max(page, 1), 50)
	if err != nil {
		return err
	}
	title := "History"
	if later {
		title = msg("Marked for Later")
	}
	srv.render(w, r, http.StatusOK, "readings", pageData{Title: title,
		P: &historyPage{Name: u.Name, Later: later, Entries: entries, Total: total, Paused: u.Preferences.HistoryPaused}})
	return nil
}

// POST /users/{name}/readings: clear, pause or resume the history.
func (srv *Server) changeReadings(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if r.PathValue("name") != u.Name {
		return archive.ErrNotFound
	}
	var err error
	switch r.PostFormValue("action") {
	case "clear":
		err = srv.site.ClearHistory(r.Context(), u)
	case "pause":
		err = srv.site.SetHistoryPaused(r.Context(), u, true)
	case "resume":
		err = srv.site.SetHistoryPaused(r.Context(), u, false)
	default:
		err = archive.Invalid("action", "must be clear, pause or resume")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/users/"+u.Name+"/readings", http.StatusSeeOther)
	return nil
}

// POST /works/{id}/mark_for_later (on=1 marks, anything else clears).
func (srv *Server) markForLater(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err == nil {
		err = srv.site.MarkForLater(r.Context(), u, id, r.PostFormValue("on") == "1")
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, localPath(r.PostFormValue("return_to"), "/"), http.StatusSeeOther)
	return nil
}
