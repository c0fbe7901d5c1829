module labform.test/go-oracle

go 1.19
