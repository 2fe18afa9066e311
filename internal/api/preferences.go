package api

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"quire/internal/archive"
)

// GET /api/v1/me/preferences
func (a *server) preferences(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, prefsJSON(u.Preferences))
	return nil
}

// PUT /api/v1/me/preferences: the fields present change, the rest stay.
func (a *server) setPreferences(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	p := u.Preferences
	present, err := a.readJSON(w, r, &p)
	if err != nil {
		return err
	}
	known := prefsJSON(p)
	for k := range present {
		if _, ok := known[k]; !ok {
			return archive.Invalid(k, "is not a preference; the preferences are %s", strings.Join(slices.Sorted(maps.Keys(known)), ", "))
		}
	}
	saved, err := a.site.SetPreferences(r.Context(), u, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, prefsJSON(saved))
	return nil
}

// prefsJSON shows every field, defaults included.
func prefsJSON(p archive.Preferences) map[string]any {
	return map[string]any{
		"view_adult":     p.ViewAdult,
		"view_full_work": p.ViewFullWork,
		"hide_warnings":  p.HideWarnings,
		"hide_freeforms": p.HideFreeforms,
		"email_notify":   p.EmailNotify,
		"font_size":      p.FontSize,
		"line_width":     p.LineWidth,
		"theme":          p.Theme,
		"history_paused": p.HistoryPaused,

		"refuse_cocreator_invitations": p.RefuseCocreator,
		"time_zone":                    p.TimeZone,
		"locale":                       p.Locale,
	}
}
