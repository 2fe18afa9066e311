package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"quire/internal/archive"
	"quire/internal/httperr"
)

// malformed is a 400 for a request body that is not the JSON we expect.
func malformed(format string, args ...any) error {
	return httperr.New(http.StatusBadRequest, "malformed", fmt.Sprintf(format, args...))
}

// readJSON reads the capped body and decodes it into v (a pointer to a
// struct). It returns the set of top-level keys present, so a partial update
// can tell "absent" from "null". Malformed JSON, wrong types, a body that is
// not an object and invalid UTF-8 are 400; a body over the cap is 413.
func (a *server) readJSON(w http.ResponseWriter, r *http.Request, v any) (present map[string]bool, err error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.maxBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, err
		}
		return nil, malformed("could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, malformed("the request body is empty; send a JSON object")
	}
	if !utf8.Valid(body) {
		return nil, malformed("the request body is not valid UTF-8")
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil {
		return nil, jsonError(err)
	}
	if keys == nil {
		return nil, malformed("the request body must be a JSON object, not null")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return nil, jsonError(err)
	}
	present = make(map[string]bool, len(keys))
	for k := range keys {
		// encoding/json matches field names case-insensitively; so do we.
		present[strings.ToLower(k)] = true
	}
	return present, nil
}

// readOptionalJSON is readJSON for a body that may be left out: an empty
// body leaves v as it is.
func (a *server) readOptionalJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.maxBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		return malformed("could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	_, err = a.readJSON(w, r, v)
	return err
}

// jsonError explains a decoding error in the API's terms.
func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return malformed("the request body is not valid JSON (at byte %d): %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		if te.Field == "" {
			return malformed("the request body must be a JSON object, not %s", te.Value)
		}
		return malformed("%s must be %s, not %s", te.Field, kindName(te.Type), te.Value)
	}
	return malformed("the request body is not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number in range"
	case reflect.Slice, reflect.Array:
		return "an array of " + strings.TrimPrefix(strings.TrimPrefix(kindName(t.Elem()), "a "), "an ") + "s"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

// parsePostedAt accepts RFC 3339 or a date (YYYY-MM-DD, midnight UTC).
func parsePostedAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, archive.Invalid("posted_at", "%q is not a date; use RFC 3339 (2024-05-01T12:00:00Z) or YYYY-MM-DD", s)
}

// format reads an optional format field ("" keeps the default).
func format(s *string) archive.Format {
	if s == nil {
		return ""
	}
	return archive.Format(strings.ToLower(strings.TrimSpace(*s)))
}

// publishAt reads a schedule: RFC 3339, or a local date and time read in
// u's time-zone preference; nil or "" is none.
func (a *server) publishAt(u *archive.User, s *string) (time.Time, error) {
	if s == nil || strings.TrimSpace(*s) == "" {
		return time.Time{}, nil
	}
	loc, err := archive.LoadZone(u.Preferences.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return archive.ParseSchedule(*s, loc, a.site.Now())
}
