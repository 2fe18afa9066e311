// Package httperr maps domain errors to HTTP statuses, for the pages and the
// API alike, so the mapping lives in one place.
package httperr

import (
	"errors"
	"math"
	"net/http"
	"time"

	"quire/internal/archive"
	"quire/internal/i18n"
	"quire/internal/listing"
	"quire/internal/site"
)

// Error is an error with a status and a stable code, for input the handlers
// reject themselves (malformed JSON, body too large).
type Error struct {
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration // for a rate limit, else 0
}

func (e *Error) Error() string { return e.Message }

// New builds an *Error.
func New(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

// Class is how an error is answered: the status, a stable code for the API,
// the message for the person who caused it, and when to try again (rate
// limits; 0 otherwise).
type Class struct {
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration
	// Worded is true when Message was written for this very case (a
	// refusal's reason, a validation error, a rate limit, an explained
	// not-found or conflict), false for a status's stock words.
	Worded bool
	// Key and Args are Message as a catalog key and its arguments; Field
	// the field a validation error names. Text says it in a language.
	Key   string
	Args  []any
	Field string
}

// Text is the message in l's language: the catalog's translation of Key
// (English where the catalog has none); a validation error keeps its
// field's name as the API spells it ("title: …").
func (c Class) Text(l *i18n.Locale) string {
	if l == nil || c.Key == "" {
		return c.Message
	}
	msg := l.T(c.Key, c.Args...)
	if c.Field != "" {
		return c.Field + ": " + msg
	}
	return msg
}

// stock is a Class whose message is its own catalog key.
func stock(status int, code, message string, worded bool) Class {
	return Class{Status: status, Code: code, Message: message, Worded: worded, Key: message}
}

// RetrySeconds is RetryAfter rounded up to whole seconds for a Retry-After
// header: at least 1 when there is a wait, 0 when there is none.
func (c Class) RetrySeconds() int {
	if c.RetryAfter <= 0 {
		return 0
	}
	return max(1, int(math.Ceil(c.RetryAfter.Seconds())))
}

// Classify is the one map from errors to answers, for the pages and the API
// alike. An unexpected error is 500 with a generic message (the caller logs
// it).
func Classify(err error) Class {
	var he *Error
	var ve *archive.ValidationError
	var ex *archive.Explained
	var ut *listing.UnknownTagError
	var mb *http.MaxBytesError
	var se *archive.SuspendedError
	var be *archive.BannedError
	var ref *site.Refusal
	var rl *site.RateLimitError
	var rep *site.ReportLimitError
	switch {
	case errors.As(err, &he):
		c := stock(he.Status, he.Code, he.Message, true)
		c.RetryAfter = he.RetryAfter
		return c
	case errors.As(err, &mb):
		return stock(http.StatusRequestEntityTooLarge, "too_large", "the request body is larger than the limit", false)
	case errors.As(err, &ve):
		return Class{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: ve.Error(), Worded: true, Key: ve.Key, Args: ve.Args, Field: ve.Field}
	case errors.As(err, &ut):
		return Class{Status: http.StatusUnprocessableEntity, Code: "unknown_tag", Message: ut.Error(), Worded: true}
	case errors.As(err, &se):
		return Class{Status: http.StatusForbidden, Code: "suspended", Message: se.Error(), Worded: true,
			Key: archive.MessageKey(archive.SuspendedFormat), Args: []any{se.Until.UTC().Format("2006-01-02 15:04")}}
	case errors.As(err, &be):
		c := stock(http.StatusForbidden, "banned", be.Error(), true)
		if be.Reason != "" {
			c.Key, c.Args = "this account is banned: {0}", []any{be.Reason}
		}
		return c
	case errors.As(err, &ref):
		return stock(http.StatusForbidden, ref.Code, ref.Message, true)
	case errors.As(err, &rl):
		return Class{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: rl.Error(), RetryAfter: rl.Wait, Worded: true}
	case errors.As(err, &rep):
		return Class{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: rep.Error(), RetryAfter: rep.Wait, Worded: true}
	case errors.Is(err, site.ErrBadLogin):
		return stock(http.StatusUnauthorized, "bad_login", err.Error(), true)
	case errors.As(err, &ex):
		c := Classify(ex.Kind)
		c.Message, c.Worded, c.Key, c.Args = ex.Message, true, ex.Key, ex.Args
		return c
	case errors.Is(err, archive.ErrAuth):
		return stock(http.StatusUnauthorized, "unauthorized", "log in (or send a valid API token) to do this", false)
	case errors.Is(err, archive.ErrNotFound):
		return stock(http.StatusNotFound, "not_found", "not found", false)
	case errors.Is(err, archive.ErrForbidden):
		return stock(http.StatusForbidden, "forbidden", "you may not change this", false)
	case errors.Is(err, archive.ErrConflict):
		return stock(http.StatusConflict, "conflict", "that already exists", false)
	}
	return stock(http.StatusInternalServerError, "internal", "something went wrong on our side", false)
}
