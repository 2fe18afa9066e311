package archive

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"quire/internal/text"
)

// What a report may be about: the KIND of a "KIND:ID" target.
const (
	ReportWork     = "work"
	ReportChapter  = "chapter"
	ReportComment  = "comment"
	ReportUser     = "user"
	ReportSeries   = "series"
	ReportBookmark = "bookmark"
	// ReportCollection names a collection by its name (ID stays 0).
	ReportCollection = "collection"
)

// ReportKinds are the kinds a report target may have.
var ReportKinds = []string{ReportWork, ReportChapter, ReportComment, ReportUser, ReportSeries, ReportBookmark, ReportCollection}

// ReportReasons are the reasons a reporter may give, in the order the form
// offers them.
var ReportReasons = []string{"spam", "harassment", "illegal", "wrong_rating_or_warnings", "plagiarism", "other"}

// ReasonLabel is how a page names a reason.
func ReasonLabel(reason string) string {
	switch reason {
	case "spam":
		return "Spam"
	case "harassment":
		return "Harassment"
	case "illegal":
		return "Illegal content"
	case "wrong_rating_or_warnings":
		return "Wrong rating or warnings"
	case "plagiarism":
		return "Plagiarism"
	case "other":
		return "Other"
	}
	return reason
}

// Report states: a report is open until a moderator resolves or dismisses it.
const (
	ReportOpen      = "open"
	ReportResolved  = "resolved"
	ReportDismissed = "dismissed"
)

// ReportStates are the states a report may be in.
var ReportStates = []string{ReportOpen, ReportResolved, ReportDismissed}

// Limits of a report.
const (
	MaxReportDetails = 5000
	MaxReportNote    = 5000
	// MaxSnapshotText caps the text kept of a reported work or chapter; a
	// longer one is cut there and marked truncated.
	MaxSnapshotText = 100000
)

// ReportTarget names what a report is about: a kind and an id, or for a
// user the account's name (ID is then the account's id once resolved).
type ReportTarget struct {
	Kind string
	ID   int64
	Name string
}

// String is the target as the API and the report link write it:
// "work:12", "user:alice".
func (t ReportTarget) String() string {
	if t.Kind == ReportUser || t.Kind == ReportCollection {
		return t.Kind + ":" + t.Name
	}
	return t.Kind + ":" + strconv.FormatInt(t.ID, 10)
}

// ParseReportTarget reads "KIND:ID" (a user as "user:NAME").
func ParseReportTarget(s string) (ReportTarget, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return ReportTarget{}, Invalid("target", "can't be blank; name what you are reporting as KIND:ID, such as work:12 or user:alice")
	}
	kind, ref, ok := strings.Cut(s, ":")
	if !ok {
		return ReportTarget{}, Invalid("target", "%q is not KIND:ID (such as work:12 or user:alice)", s)
	}
	known := false
	for _, k := range ReportKinds {
		known = known || k == kind
	}
	if !known {
		return ReportTarget{}, Invalid("target", "%q is not something that can be reported; the kinds are %s", kind, strings.Join(ReportKinds, ", "))
	}
	if kind == ReportUser {
		name, err := CleanUserName(ref)
		if err != nil {
			return ReportTarget{}, Invalid("target", "%q is not an account name", ref)
		}
		return ReportTarget{Kind: kind, Name: name}, nil
	}
	if kind == ReportCollection {
		if ValidCollectionName(ref) != nil {
			return ReportTarget{}, Invalid("target", "%q is not a collection's name", ref)
		}
		return ReportTarget{Kind: kind, Name: ref}, nil
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != ref {
		return ReportTarget{}, Invalid("target", "%q is not a %s id", ref, kind)
	}
	return ReportTarget{Kind: kind, ID: id}, nil
}

// ReportSnapshot is what a moderator needs to judge the target, as it was
// when it was reported: it is kept if the target is later edited or
// deleted. Text fields are plain text.
type ReportSnapshot struct {
	Title     string   `json:"title,omitempty"`
	By        string   `json:"by,omitempty"` // creators, comment writer or account
	Summary   string   `json:"summary,omitempty"`
	Rating    string   `json:"rating,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	Text      string   `json:"text,omitempty"` // body, comment, bookmark notes or profile
	Truncated bool     `json:"truncated,omitempty"`
	URL       string   `json:"url,omitempty"` // the target's path on this archive
}

// Clip cuts s to what a snapshot keeps, reporting whether it cut.
func Clip(s string, limit int) (string, bool) {
	if utf8.RuneCountInString(s) <= limit {
		return s, false
	}
	n := 0
	for i := range s {
		if n == limit {
			return s[:i], true
		}
		n++
	}
	return s, false
}

// ReportNote is a moderator's note on a report.
type ReportNote struct {
	AuthorID int64
	Author   string // the moderator's name (kept if the account goes)
	Text     string
	At       time.Time
}

// Report is one reader's report of one target.
type Report struct {
	ID       int64
	Target   ReportTarget
	Reason   string
	Details  string
	State    string
	Snapshot ReportSnapshot
	// ReporterID is the reporting account (0: a guest, or a deleted
	// account); ReporterName is filled on reads.
	ReporterID   int64
	ReporterName string
	// ReporterEmail is the address a guest gave ("" for accounts: their
	// account's address is used).
	ReporterEmail string
	// AddressHash is a guest's salted address hash (rate limit, one open
	// report per target); never exported.
	AddressHash  string
	AssigneeID   int64
	AssigneeName string // filled on reads
	Notes        []ReportNote
	// Count is, on a list, how many reports of the same target the list
	// holds.
	Count     int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CleanReportReason checks a reason.
func CleanReportReason(reason string) (string, error) {
	r := strings.TrimSpace(reason)
	if r == "" {
		return "", Invalid("reason", "can't be blank; choose one of %s", strings.Join(ReportReasons, ", "))
	}
	for _, k := range ReportReasons {
		if k == r {
			return r, nil
		}
	}
	return "", Invalid("reason", "%q is not a reason; choose one of %s", r, strings.Join(ReportReasons, ", "))
}

// CleanReportDetails checks a report's details (plain text).
func CleanReportDetails(details string) (string, error) {
	d := strings.TrimSpace(strings.ReplaceAll(text.ValidUTF8(details), "\x00", ""))
	if n := utf8.RuneCountInString(d); n > MaxReportDetails {
		return "", Invalid("details", "is %d characters long; the limit is %d", n, MaxReportDetails)
	}
	return d, nil
}

// CleanReportState checks a report state.
func CleanReportState(state string) (string, error) {
	for _, s := range ReportStates {
		if s == state {
			return s, nil
		}
	}
	return "", Invalid("state", "%q is not a state; a report is open, resolved or dismissed", state)
}
