// Command go-oracle writes zip archives the way hashicorp/archive's zip archiver does (Go's
// archive/zip, whose deflate is compress/flate at level 5) and prints each archive's sha256, for
// the golden hashes of labform's archive tests. Not run by the tests; see README.md.
//
//	go run . content FILE...          one archive per file: Create(basename) + Write
//	go run . multiple FILE...         one archive, entries Create(basename) sorted by name
//	go run . dir DIR [EXCLUDE...]     one archive of DIR's files, FileInfoHeader + zero time
//
// With OUT=dir set, each archive is also written there (NAME.zip) for byte comparisons.
package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// report prints the archive's sha256 and keeps a copy in $OUT when set.
func report(name string, zipped []byte) {
	fmt.Printf("%x  %s\n", sha256.Sum256(zipped), name)
	if out := os.Getenv("OUT"); out != "" {
		check(os.WriteFile(filepath.Join(out, name+".zip"), zipped, 0o644))
	}
}

func contentZip(entries map[string][]byte) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	names := make([]string, 0, len(entries))
	for name := range entries {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f, err := w.Create(name)
		check(err)
		_, err = f.Write(entries[name])
		check(err)
	}
	check(w.Close())
	return buf.Bytes()
}

func dirZip(dir string, excludes map[string]bool) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	check(filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		check(err)
		rel, err := filepath.Rel(dir, path)
		check(err)
		if info.IsDir() {
			if excludes[rel] {
				return filepath.SkipDir
			}
			return nil
		}
		if excludes[rel] {
			return nil
		}
		fh, err := zip.FileInfoHeader(info)
		check(err)
		fh.Name = filepath.ToSlash(rel)
		fh.Method = zip.Deflate
		fh.SetModTime(time.Time{})
		f, err := w.CreateHeader(fh)
		check(err)
		content, err := os.ReadFile(path)
		check(err)
		_, err = f.Write(content)
		return err
	}))
	check(w.Close())
	return buf.Bytes()
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: go-oracle content|multiple|dir ARGS...")
		os.Exit(2)
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "content":
		for _, path := range args {
			data, err := os.ReadFile(path)
			check(err)
			name := filepath.Base(path)
			report(name, contentZip(map[string][]byte{name: data}))
		}
	case "multiple":
		entries := map[string][]byte{}
		for _, path := range args {
			data, err := os.ReadFile(path)
			check(err)
			entries[filepath.Base(path)] = data
		}
		report("multiple", contentZip(entries))
	case "dir":
		excludes := map[string]bool{}
		for _, e := range args[1:] {
			excludes[filepath.FromSlash(e)] = true
		}
		report("dir", dirZip(args[0], excludes))
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
}
