package web

import (
	"net/http"
	"strconv"
	"strings"

	"quire/internal/archive"
)

// preferencesPage is the preferences form: the saved (or submitted) values.
type preferencesPage struct {
	archive.Preferences
	FontSize  string
	LineWidth string
}

func prefsPage(p archive.Preferences) *preferencesPage {
	pp := &preferencesPage{Preferences: p}
	if p.FontSize != 0 {
		pp.FontSize = strconv.Itoa(p.FontSize)
	}
	if p.LineWidth != 0 {
		pp.LineWidth = strconv.Itoa(p.LineWidth)
	}
	return pp
}

func (srv *Server) preferencesForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	flash := ""
	if r.URL.Query().Get("changed") == "1" {
		flash = msg("Your preferences have been saved.")
	}
	srv.render(w, r, http.StatusOK, "preferences", pageData{Title: "Preferences", Message: flash, P: prefsPage(u.Preferences)})
	return nil
}

// number reads an optional whole number field ("" is 0, the default).
func number(field, s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, archive.Invalid(field, "must be a whole number")
	}
	return n, nil
}

func (srv *Server) savePreferences(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "preferences", "Preferences", prefsPage(u.Preferences))
	}
	f := r.PostForm
	p := archive.Preferences{
		ViewAdult:     f.Get("view_adult") != "",
		ViewFullWork:  f.Get("view_full_work") != "",
		HideWarnings:  f.Get("hide_warnings") != "",
		HideFreeforms: f.Get("hide_freeforms") != "",
		EmailNotify:   f.Get("email_notify") != "",
		Theme:         f.Get("theme"),
		HistoryPaused: u.Preferences.HistoryPaused,

		RefuseCocreator: f.Get("refuse_cocreator_invitations") != "",
		TimeZone:        f.Get("time_zone"),
		Locale:          f.Get("locale"),
	}
	shown := prefsPage(p)
	shown.FontSize, shown.LineWidth = f.Get("font_size"), f.Get("line_width")
	var err error
	if p.FontSize, err = number("font_size", f.Get("font_size")); err != nil {
		return srv.invalid(w, r, err, "preferences", "Preferences", shown)
	}
	if p.LineWidth, err = number("line_width", f.Get("line_width")); err != nil {
		return srv.invalid(w, r, err, "preferences", "Preferences", shown)
	}
	if _, err := srv.site.SetPreferences(r.Context(), u, p); err != nil {
		return srv.invalid(w, r, err, "preferences", "Preferences", shown)
	}
	http.Redirect(w, r, "/account/preferences?changed=1", http.StatusSeeOther)
	return nil
}
