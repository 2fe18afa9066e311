package archive

import (
	"strings"
	"time"
)

// MaxScheduleAhead is how far ahead a chapter or work may be scheduled.
const MaxScheduleAhead = 366 * 24 * time.Hour

// LoadZone resolves a time-zone preference: "" is UTC; an unknown name is a
// validation error.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || strings.EqualFold(name, "UTC") {
		return time.UTC, nil
	}
	// time.LoadLocation also reads paths relative to the zoneinfo root;
	// a zone name has no "..", no leading "/" and no backslash.
	if strings.Contains(name, "..") || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || len(name) > 64 {
		return nil, Invalid("time_zone", "%q is not a time zone name (try Europe/Paris or America/New_York)", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, Invalid("time_zone", "%q is not a time zone name (try Europe/Paris or America/New_York)", name)
	}
	return loc, nil
}

// ParseSchedule reads a publication time: RFC 3339 with its own offset, or
// a local "2006-01-02T15:04" (seconds optional, a space for the T allowed)
// in loc. It must be after now and at most MaxScheduleAhead later. The
// result is UTC, whole seconds.
func ParseSchedule(s string, loc *time.Location, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if loc == nil {
		loc = time.UTC
	}
	var t time.Time
	var err error
	if t, err = time.Parse(time.RFC3339, s); err != nil {
		local := strings.Replace(s, " ", "T", 1)
		for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
			if t, err = time.ParseInLocation(layout, local, loc); err == nil {
				break
			}
		}
		if err != nil {
			return time.Time{}, Invalid("publish_at", "must be a date and time such as 2030-05-01T12:00 (in your time zone) or 2030-05-01T12:00:00Z")
		}
	}
	t = t.UTC().Truncate(time.Second)
	if !t.After(now) {
		return time.Time{}, Invalid("publish_at", "must be in the future")
	}
	if t.After(now.Add(MaxScheduleAhead)) {
		return time.Time{}, Invalid("publish_at", "may be at most a year ahead")
	}
	return t, nil
}
