package web

import (
	"net/http"
	"strings"
	"time"

	"quire/internal/archive"
)

// localLayout is what a datetime-local input sends and shows.
const localLayout = "2006-01-02T15:04"

// zoneOf is the user's time zone for schedules (UTC when unset or unknown).
func zoneOf(u *archive.User) *time.Location {
	if u == nil {
		return time.UTC
	}
	loc, err := archive.LoadZone(u.Preferences.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// zoneName names the zone schedules are typed in.
func zoneName(u *archive.User) string {
	if loc := zoneOf(u); loc != time.UTC {
		return loc.String()
	}
	return "UTC"
}

// scheduleValue shows a stored schedule in the user's zone.
func scheduleValue(u *archive.User, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zoneOf(u)).Format(localLayout)
}

// formSchedule reads the form's publish_at when the action is "schedule"
// (required then); other actions schedule nothing. The form showing the
// stored schedule unchanged keeps it as it is.
func (srv *Server) formSchedule(r *http.Request, stored time.Time) (time.Time, error) {
	if r.PostForm.Get("action") != "schedule" {
		return time.Time{}, nil
	}
	s := strings.TrimSpace(r.PostForm.Get("publish_at"))
	if s == "" {
		return time.Time{}, archive.Invalid("publish_at", "needs a date and time to schedule")
	}
	if !stored.IsZero() && s == scheduleValue(currentUser(r), stored) {
		return stored, nil
	}
	return archive.ParseSchedule(s, zoneOf(currentUser(r)), srv.site.Now())
}
