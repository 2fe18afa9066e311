// Package archive is Quire's domain: works, chapters, tags, users, and the
// rules that decide what is valid and who may see or change what. It speaks
// neither SQL nor HTTP; the store persists what it decides and the web and
// api packages present it.
package archive

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. Handlers map them to statuses in one place.
var (
	ErrNotFound  = errors.New("not found")
	ErrForbidden = errors.New("forbidden")
	ErrConflict  = errors.New("already exists")
	ErrAuth      = errors.New("not authenticated")
)

// ValidationError is a field that breaks a rule or a limit (HTTP 422).
// Message is the English text; Key and Args are the same message as a
// catalog key ({0} for the first argument) and its arguments, so the pages
// and the API can say it in the reader's language (MessageKey).
type ValidationError struct {
	Field   string
	Message string
	Key     string
	Args    []any
}

func (e *ValidationError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// Invalid builds a *ValidationError.
func Invalid(field, format string, args ...any) error {
	key, a := messageKey(format, args)
	return &ValidationError{Field: field, Message: sprintf(format, args...), Key: key, Args: a}
}

// MessageKey is the catalog key of a message written as a Printf format:
// each verb becomes {0}, {1}… in order ("is %d characters long" → "is {0}
// characters long"), %% a percent sign.
func MessageKey(format string) string {
	key, _ := messageKey(format, nil)
	return key
}

// messageKey is MessageKey and the arguments as the catalog shows them:
// %s, %v and %d arguments as they are (numbers are then written the
// reader's way), any other verb's already formatted (%q quoted).
func messageKey(format string, args []any) (string, []any) {
	var b strings.Builder
	var out []any
	n := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			b.WriteString(format[i:])
			break
		}
		verb := format[j]
		if verb == '%' {
			b.WriteByte('%')
			i = j
			continue
		}
		b.WriteString("{" + strconv.Itoa(n) + "}")
		if n < len(args) {
			a := args[n]
			if j != i+1 || (verb != 's' && verb != 'v' && verb != 'd') {
				a = fmt.Sprintf(format[i:j+1], a)
			}
			out = append(out, a)
		}
		n++
		i = j
	}
	return b.String(), out
}

// Format is the markup a creator wrote a rich field in.
type Format string

const (
	FormatHTML     Format = "html"
	FormatMarkdown Format = "markdown"
)

// Rich is a rich-text field: what the creator wrote, in which format, and the
// sanitized HTML pages show. Source and Format are kept so that editing shows
// what was written and a later sanitizer can re-render it.
type Rich struct {
	Source string
	Format Format
	HTML   string
}

// IsEmpty reports whether the field has no visible content.
func (r Rich) IsEmpty() bool { return r.HTML == "" }

// Comment permission values (SPEC).
const (
	CommentsEveryone   = "everyone"
	CommentsRegistered = "registered"
	CommentsNone       = "none"
)

// Work is one posted story with its metadata. Chapters are loaded separately
// where a page needs them.
type Work struct {
	ID       int64
	Title    string
	Creators []Creator
	Summary  Rich
	Notes    Rich
	EndNotes Rich

	// Tags as the creator entered them, grouped by type. Rating holds one.
	Tags map[TagType][]string

	Language         string
	ChaptersPosted   int
	ChaptersExpected int // 0 means unknown
	Words            int
	Draft            bool
	Restricted       bool
	Hidden           bool
	// AwaitingReview holds a new account's work for a moderator's approval
	// (--review-first-works): it is not public until approved.
	AwaitingReview    bool
	CommentPermission string
	ModeratedComments bool

	// HiddenReason is the moderators' reason for hiding the work;
	// HiddenByBan marks a work hidden with its creator's ban.
	HiddenReason string
	HiddenByBan  bool

	// Anonymous: the work is in a collection (approved or pending) that
	// hides its creators until they are revealed; Unrevealed likewise hides
	// the work itself ("Mystery Work"). Both are derived from its items.
	Anonymous  bool
	Unrevealed bool
	// Gifts are the work's recipients, in order (refused gifts left out).
	Gifts []Gift
	// Masked marks a copy made for a reader who may not see behind the
	// collection's hiding: its Creators are "Anonymous" and, when Mystery,
	// it has no title, summary, notes, tags or gifts either.
	Masked  bool
	Mystery bool

	PostedAt  time.Time
	UpdatedAt time.Time
	EditedAt  time.Time
	CreatedAt time.Time

	Hits      int64
	Kudos     int64
	Comments  int64
	Bookmarks int64

	// PublishAt schedules a draft work's first publication (zero: none).
	PublishAt time.Time
}

// Complete reports whether every expected chapter is posted.
func (w *Work) Complete() bool {
	return w.ChaptersExpected > 0 && w.ChaptersPosted >= w.ChaptersExpected
}

// Rating returns the work's one rating tag name.
func (w *Work) Rating() string {
	if r := w.Tags[TypeRating]; len(r) > 0 {
		return r[0]
	}
	return RatingNotRated
}

// HasCreatorUser reports whether the user is one of the work's creators.
func (w *Work) HasCreatorUser(userID int64) bool {
	for _, c := range w.Creators {
		if c.UserID == userID && userID != 0 {
			return true
		}
	}
	return false
}

// Creator is one byline entry: a pseud and the account it belongs to.
// An orphaned work has a creator with UserID 0 and the pseud "orphan_account".
type Creator struct {
	PseudID  int64
	Pseud    string
	UserID   int64
	UserName string
}

// Chapter is one chapter of a work.
type Chapter struct {
	ID       int64
	WorkID   int64
	Position int
	Title    string
	Summary  Rich
	Notes    Rich
	EndNotes Rich
	Body     Rich
	Words    int
	Draft    bool
	PostedAt time.Time
	// UpdatedAt changes on every edit; caches key on it.
	UpdatedAt time.Time
	// PublishAt schedules a draft chapter's publication (zero: none).
	PublishAt time.Time
	// Creators is the chapter's own byline; empty: its work's creators
	// (see ChapterByline for what a page shows).
	Creators []Creator
}

// Roles a user may hold.
const (
	RoleAdmin     = "admin"
	RoleModerator = "moderator"
	RoleWrangler  = "wrangler"
)

// User is an account.
type User struct {
	ID           int64
	Name         string
	Email        string
	PasswordHash string
	Roles        []string
	CreatedAt    time.Time
	Preferences  Preferences
	// SuspendedUntil is when a suspension ends (zero: not suspended);
	// Banned accounts may not log in. ModerationReason says why.
	SuspendedUntil   time.Time
	Banned           bool
	ModerationReason string
}

// Has reports whether the user holds the role (admins hold every role).
func (u *User) Has(role string) bool {
	if u == nil {
		return false
	}
	for _, r := range u.Roles {
		if r == role || r == RoleAdmin {
			return true
		}
	}
	return false
}

// IsAdmin reports whether the user is an administrator.
func (u *User) IsAdmin() bool { return u.Has(RoleAdmin) }

// Preferences are a reader's settings.
type Preferences struct {
	ViewAdult     bool   `json:"view_adult"`
	ViewFullWork  bool   `json:"view_full_work"`
	HideWarnings  bool   `json:"hide_warnings"`
	HideFreeforms bool   `json:"hide_freeforms"`
	EmailNotify   bool   `json:"email_notify"`
	FontSize      int    `json:"font_size,omitempty"`
	LineWidth     int    `json:"line_width,omitempty"`
	Theme         string `json:"theme,omitempty"`
	// HistoryPaused stops recording what the reader opens.
	HistoryPaused bool `json:"history_paused"`
	// RefuseCocreator refuses every co-creator invitation (AO3 has the
	// opposite switch, off by default; here inviting is allowed unless
	// refused).
	RefuseCocreator bool `json:"refuse_cocreator_invitations"`
	// TimeZone is an IANA zone name ("" is UTC): schedules typed without
	// an offset are read in it.
	TimeZone string `json:"time_zone,omitempty"`
	// Locale is the interface language chosen (a BCP 47 code; "" follows
	// the browser). A code the archive no longer speaks falls back.
	Locale string `json:"locale,omitempty"`
}

// Pseud is a name an account writes under.
type Pseud struct {
	ID        int64
	UserID    int64
	Name      string
	IsDefault bool
}

// Explained is a not-found, conflict, authentication or permission error
// worded for the person who caused it ("you have already blocked ana"):
// pages and the API show Message as it is, with Kind's status.
type Explained struct {
	Kind    error // ErrNotFound, ErrConflict, ErrAuth or ErrForbidden
	Message string
	Key     string // Message as a catalog key, and its arguments (MessageKey)
	Args    []any
}

// Explain builds an *Explained of kind.
func Explain(kind error, format string, a ...any) error {
	key, args := messageKey(format, a)
	return &Explained{Kind: kind, Message: fmt.Sprintf(format, a...), Key: key, Args: args}
}

func (e *Explained) Error() string { return e.Message + ": " + e.Kind.Error() }

// Unwrap makes an Explained its Kind, for errors.Is.
func (e *Explained) Unwrap() error { return e.Kind }
