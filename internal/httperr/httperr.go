// Package httperr maps domain errors to HTTP statuses, for the pages and the
// API alike, so the mapping lives in one place.
package httperr

import (
	"errors"
	"net/http"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/site"
)

// Error is an error with a status and a stable code, for input the handlers
// reject themselves (malformed JSON, body too large).
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// New builds an *Error.
func New(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

// Classify returns the status, code and user-facing message for err. An
// unexpected error is 500 with a generic message (the caller logs it).
func Classify(err error) (status int, code, message string) {
	var he *Error
	var ve *archive.ValidationError
	var ut *listing.UnknownTagError
	var mb *http.MaxBytesError
	var se *archive.SuspendedError
	var be *archive.BannedError
	var ref *site.Refusal
	var rl *site.RateLimitError
	switch {
	case errors.As(err, &he):
		return he.Status, he.Code, he.Message
	case errors.As(err, &mb):
		return http.StatusRequestEntityTooLarge, "too_large", "the request body is larger than the limit"
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, "invalid", ve.Error()
	case errors.As(err, &ut):
		return http.StatusUnprocessableEntity, "unknown_tag", ut.Error()
	case errors.As(err, &se):
		return http.StatusForbidden, "suspended", se.Error()
	case errors.As(err, &be):
		return http.StatusForbidden, "banned", be.Error()
	case errors.As(err, &ref):
		return http.StatusForbidden, ref.Code, ref.Message
	case errors.As(err, &rl):
		return http.StatusTooManyRequests, "rate_limited", rl.Error()
	case errors.Is(err, site.ErrBadLogin):
		return http.StatusUnauthorized, "bad_login", err.Error()
	case errors.Is(err, archive.ErrAuth):
		return http.StatusUnauthorized, "unauthorized", "log in (or send a valid API token) to do this"
	case errors.Is(err, archive.ErrNotFound):
		return http.StatusNotFound, "not_found", "not found"
	case errors.Is(err, archive.ErrForbidden):
		return http.StatusForbidden, "forbidden", "you may not change this"
	case errors.Is(err, archive.ErrConflict):
		return http.StatusConflict, "conflict", "that already exists"
	}
	return http.StatusInternalServerError, "internal", "something went wrong on our side"
}
