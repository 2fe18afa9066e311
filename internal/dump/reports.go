package dump

import (
	"errors"
	"fmt"
	"strings"

	"quire/internal/archive"
	"quire/internal/store"
)

// reportLine is a reader's report with the moderators' notes:
//
//	{"type":"report","id","target" (KIND:ID, a user as user:NAME),"reason","details",
//	 "state","snapshot":{"title","by","summary","rating","warnings","tags","text","truncated","url"},
//	 "reporter" (null: a guest or a deleted account),"email" (a guest's, or ""),
//	 "assignee" (null: nobody),"notes":[{"by","text","at"}…],"created_at","updated_at"}
//
// A guest's address hash is never written; an imported guest report can't
// hold back a repeat from the same address.
type reportLine struct {
	Type      string                 `json:"type"`
	ID        int64                  `json:"id"`
	Target    string                 `json:"target"`
	Reason    string                 `json:"reason"`
	Details   string                 `json:"details"`
	State     string                 `json:"state"`
	Snapshot  archive.ReportSnapshot `json:"snapshot"`
	Reporter  *string                `json:"reporter"`
	Email     string                 `json:"email"`
	Assignee  *string                `json:"assignee"`
	Notes     []reportNoteLine       `json:"notes"`
	CreatedAt string                 `json:"created_at"`
	UpdatedAt string                 `json:"updated_at"`
}

type reportNoteLine struct {
	By   string `json:"by"`
	Text string `json:"text"`
	At   string `json:"at"`
}

func reportToLine(dr *store.DumpReport) reportLine {
	r := &dr.Report
	l := reportLine{Type: "report", ID: r.ID, Target: r.Target.String(), Reason: r.Reason, Details: r.Details, State: r.State,
		Snapshot: r.Snapshot, Reporter: orNull(r.ReporterName), Email: r.ReporterEmail, Assignee: orNull(r.AssigneeName),
		Notes: []reportNoteLine{}, CreatedAt: ts(r.CreatedAt), UpdatedAt: ts(r.UpdatedAt)}
	for _, n := range r.Notes {
		l.Notes = append(l.Notes, reportNoteLine{By: n.Author, Text: n.Text, At: ts(n.At)})
	}
	return l
}

func (im *importer) report(l reportLine) (*store.DumpReport, error) {
	fail := func(err error) (*store.DumpReport, error) { return nil, fmt.Errorf("report %d: %v", l.ID, err) }
	if l.ID <= 0 {
		return nil, errors.New("a report needs a positive id")
	}
	if first, ok := im.reports[l.ID]; ok {
		return nil, fmt.Errorf("report %d appears twice in the file (first on line %d)", l.ID, first)
	}
	im.reports[l.ID] = im.line
	r := archive.Report{ID: l.ID, Snapshot: l.Snapshot}
	var err error
	if r.Target, err = archive.ParseReportTarget(l.Target); err != nil {
		return fail(err)
	}
	if r.Reason, err = archive.CleanReportReason(l.Reason); err != nil {
		return fail(err)
	}
	if r.State, err = archive.CleanReportState(l.State); err != nil {
		return fail(err)
	}
	if r.Details, err = archive.CleanReportDetails(l.Details); err != nil {
		return fail(err)
	}
	if l.Reporter != nil {
		if r.ReporterName = strings.TrimSpace(*l.Reporter); r.ReporterName == "" {
			return fail(errors.New("reporter: an account name, or null"))
		}
	}
	if l.Email != "" {
		if r.ReporterEmail, err = archive.CleanEmail(l.Email); err != nil {
			return fail(err)
		}
	}
	if l.Assignee != nil {
		if r.AssigneeName = strings.TrimSpace(*l.Assignee); r.AssigneeName == "" {
			return fail(errors.New("assignee: an account name, or null"))
		}
	}
	if r.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return fail(err)
	}
	if r.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return fail(err)
	}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	for i, n := range l.Notes {
		note := archive.ReportNote{Author: strings.TrimSpace(n.By), Text: n.Text}
		if note.Text == "" {
			return fail(fmt.Errorf("notes[%d].text: required", i))
		}
		if note.At, err = im.parseTime(fmt.Sprintf("notes[%d].at", i), n.At, true); err != nil {
			return fail(err)
		}
		if note.At.IsZero() {
			return fail(fmt.Errorf("notes[%d].at: required", i))
		}
		r.Notes = append(r.Notes, note)
	}
	return &store.DumpReport{Report: r}, nil
}
