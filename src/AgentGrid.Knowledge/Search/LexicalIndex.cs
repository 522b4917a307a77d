using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;

namespace AgentGrid.Knowledge.Search;

/// <summary>
/// BM25 over chunk texts (and, weighted lower, their headings), held in memory by Lucene and kept up to date
/// chunk by chunk: one writer stays open, and the near-real-time reader is reopened on the first search after a change.
/// </summary>
/// <remarks>Safe for searches from several threads while one thread adds and removes.</remarks>
public sealed class LexicalIndex : IDisposable
{
    private const string ChunkIdField = "chunk";
    private const string DocumentIdField = "document";
    private const string TextField = "text";
    private const string HeadingField = "heading";

    private readonly LexicalIndexOptions _options;
    private readonly ChunkAnalyzer _analyzer;
    private readonly RAMDirectory _directory = new();
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private int _changed;

    /// <summary>An empty index.</summary>
    public LexicalIndex(LexicalIndexOptions? options = null)
    {
        _options = options ?? new LexicalIndexOptions();
        _analyzer = new ChunkAnalyzer(_options);
        var similarity = new BM25Similarity();
        _writer = new IndexWriter(_directory, new IndexWriterConfig(ChunkAnalyzer.Version, _analyzer)
        {
            Similarity = similarity,
            OpenMode = OpenMode.CREATE,
        });
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new Bm25SearcherFactory(similarity));
    }

    /// <summary>The number of chunks indexed.</summary>
    public int Count => WithSearcher(searcher => searcher.IndexReader.NumDocs);

    /// <summary>Indexes <paramref name="chunks"/>; a chunk whose id is already indexed replaces the old one.</summary>
    public void Add(IEnumerable<IndexedChunk> chunks)
    {
        foreach (var chunk in chunks)
        {
            _writer.UpdateDocument(new Term(ChunkIdField, chunk.ChunkId), ToDocument(chunk));
        }

        Volatile.Write(ref _changed, 1);
    }

    /// <summary>Removes every chunk of <paramref name="documentId"/>.</summary>
    public void RemoveDocument(string documentId)
    {
        _writer.DeleteDocuments(new Term(DocumentIdField, documentId));
        Volatile.Write(ref _changed, 1);
    }

    /// <summary>The <paramref name="k"/> chunks that best match <paramref name="query"/>, best first, scored by BM25.</summary>
    /// <remarks>The query is free text: it is analysed into terms, any of which may match; it never fails to parse.</remarks>
    public IReadOnlyList<ScoredChunk> Search(string query, int k)
    {
        if (k <= 0 || string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var parsed = LexicalQuery.Build(_analyzer, query, TextField, HeadingField, _options.HeadingWeight);
        if (parsed is null)
        {
            return [];
        }

        return WithSearcher(searcher =>
        {
            var fields = new HashSet<string> { ChunkIdField };
            var top = searcher.Search(parsed, k);
            return top.ScoreDocs.Select(hit => new ScoredChunk(searcher.Doc(hit.Doc, fields).Get(ChunkIdField), hit.Score)).ToList();
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }

    private T WithSearcher<T>(Func<IndexSearcher, T> read)
    {
        if (Interlocked.Exchange(ref _changed, 0) == 1)
        {
            _searchers.MaybeRefreshBlocking();
        }

        var searcher = _searchers.Acquire();
        try
        {
            return read(searcher);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    private static Document ToDocument(IndexedChunk chunk)
    {
        var document = new Document
        {
            new StringField(ChunkIdField, chunk.ChunkId, Field.Store.YES),
            new StringField(DocumentIdField, chunk.DocumentId, Field.Store.NO),
            new TextField(TextField, chunk.Text, Field.Store.NO),
        };
        if (!string.IsNullOrWhiteSpace(chunk.Heading))
        {
            document.Add(new TextField(HeadingField, chunk.Heading, Field.Store.NO));
        }

        return document;
    }

    /// <summary>Searchers that score with the same BM25 the writer used for its norms.</summary>
    private sealed class Bm25SearcherFactory(Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
    }
}
