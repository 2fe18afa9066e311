// Package httperr maps domain errors to HTTP statuses, for the pages and the
// API alike, so the mapping lives in one place.
package httperr

import (
	"errors"
	"math"
	"net/http"
	"time"

	"quire/internal/archive"
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
		return Class{Status: he.Status, Code: he.Code, Message: he.Message, RetryAfter: he.RetryAfter, Worded: true}
	case errors.As(err, &mb):
		return Class{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: "the request body is larger than the limit"}
	case errors.As(err, &ve):
		return Class{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: ve.Error(), Worded: true}
	case errors.As(err, &ut):
		return Class{Status: http.StatusUnprocessableEntity, Code: "unknown_tag", Message: ut.Error(), Worded: true}
	case errors.As(err, &se):
		return Class{Status: http.StatusForbidden, Code: "suspended", Message: se.Error(), Worded: true}
	case errors.As(err, &be):
		return Class{Status: http.StatusForbidden, Code: "banned", Message: be.Error(), Worded: true}
	case errors.As(err, &ref):
		return Class{Status: http.StatusForbidden, Code: ref.Code, Message: ref.Message, Worded: true}
	case errors.As(err, &rl):
		return Class{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: rl.Error(), RetryAfter: rl.Wait, Worded: true}
	case errors.As(err, &rep):
		return Class{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: rep.Error(), RetryAfter: rep.Wait, Worded: true}
	case errors.Is(err, site.ErrBadLogin):
		return Class{Status: http.StatusUnauthorized, Code: "bad_login", Message: err.Error(), Worded: true}
	case errors.As(err, &ex):
		c := Classify(ex.Kind)
		c.Message, c.Worded = ex.Message, true
		return c
	case errors.Is(err, archive.ErrAuth):
		return Class{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "log in (or send a valid API token) to do this"}
	case errors.Is(err, archive.ErrNotFound):
		return Class{Status: http.StatusNotFound, Code: "not_found", Message: "not found"}
	case errors.Is(err, archive.ErrForbidden):
		return Class{Status: http.StatusForbidden, Code: "forbidden", Message: "you may not change this"}
	case errors.Is(err, archive.ErrConflict):
		return Class{Status: http.StatusConflict, Code: "conflict", Message: "that already exists"}
	}
	return Class{Status: http.StatusInternalServerError, Code: "internal", Message: "something went wrong on our side"}
}
