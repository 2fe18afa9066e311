package importer

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
)

// DetectBytes is how much of a file's start Detect needs to see.
const DetectBytes = 64 << 10

var (
	mdHeadingLine = regexp.MustCompile(`(?m)^#{1,6}[ \t]+\S`)
	mdFrontMatter = regexp.MustCompile(`(?i)^---\r?\n(?:[a-z ]+:.*\r?\n)+---`)
	sqlDump       = regexp.MustCompile("(?i)(create table|insert into)\\s+[`\"]?\\w*(fanfiction_|_stories|_chapters|_authors)")
)

// Detect names the format of a file from its name and its first
// DetectBytes bytes: jsonl (a Quire export), efiction (a MySQL dump of an
// eFiction archive), epub (a zip), ao3-html (HTML with an AO3-shaped
// preface, such as AO3's and Quire's downloads), html, markdown, or text.
func Detect(name string, head []byte) string {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".epub":
		return FormatEPUB
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return FormatEPUB
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if ext == ".sql" || sqlDump.Match(head) {
		return FormatEFiction
	}
	if len(t) > 0 && t[0] == '{' {
		return FormatJSONL
	}
	isHTML := ext == ".html" || ext == ".htm" || ext == ".xhtml"
	if !isHTML && len(t) > 0 && t[0] == '<' {
		lower := bytes.ToLower(t[:min(len(t), 512)])
		isHTML = bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.Contains(lower, []byte("<html")) ||
			bytes.Contains(lower, []byte("<body")) || bytes.Contains(lower, []byte("<p")) || bytes.Contains(lower, []byte("<div")) ||
			bytes.HasPrefix(lower, []byte("<?xml"))
	}
	if isHTML {
		if bytes.Contains(head, []byte(`class="tags"`)) && (bytes.Contains(head, []byte("Posted originally on")) || bytes.Contains(head, []byte(`id="preface"`))) {
			return FormatAO3HTML
		}
		return FormatHTML
	}
	switch ext {
	case ".md", ".markdown", ".mdown", ".mkd":
		return FormatMarkdown
	case ".txt", ".text":
		return FormatText
	}
	if mdFrontMatter.Match(t) || mdHeadingLine.Match(t) {
		return FormatMarkdown
	}
	return FormatText
}
