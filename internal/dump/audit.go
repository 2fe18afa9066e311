package dump

import (
	"errors"
	"strings"

	"quire/internal/archive"
)

// auditLine is one entry of the audit log: {"type":"audit","actor",
// "action","target","reason","at"}. Lines come oldest first, after every
// other line; an import appends them to the archive's log in that order.
type auditLine struct {
	Type   string `json:"type"`
	Actor  string `json:"actor"`
	Action string `json:"action"`
	Target string `json:"target"`
	Reason string `json:"reason"`
	At     string `json:"at"`
}

func auditToLine(e *archive.AuditEntry) auditLine {
	return auditLine{Type: "audit", Actor: e.Actor, Action: e.Action, Target: e.Target, Reason: e.Reason, At: ts(e.At)}
}

func (im *importer) audit(l auditLine) (*archive.AuditEntry, error) {
	e := &archive.AuditEntry{Actor: strings.TrimSpace(l.Actor), Action: strings.TrimSpace(l.Action), Target: strings.TrimSpace(l.Target),
		Reason: strings.ReplaceAll(l.Reason, "\x00", "")}
	if e.Actor == "" || e.Action == "" || e.Target == "" {
		return nil, errors.New("audit: actor, action and target are required")
	}
	if strings.TrimSpace(l.At) == "" {
		return nil, errors.New("at: required")
	}
	at, err := im.parseTime("at", l.At, true)
	if err != nil {
		return nil, err
	}
	e.At = at
	return e, nil
}
