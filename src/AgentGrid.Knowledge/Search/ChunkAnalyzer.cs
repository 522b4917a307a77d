using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace AgentGrid.Knowledge.Search;

/// <summary>
/// English text to index terms, the same for chunks and queries: Unicode word breaks, possessives dropped,
/// lower case, stop words removed, then the chosen stemmer.
/// </summary>
internal sealed class ChunkAnalyzer(LexicalIndexOptions options) : Analyzer
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private static readonly Lazy<CharArraySet> SnowballStopWords = new(() =>
        WordlistLoader.GetSnowballWordSet(IOUtils.GetDecodingReader(typeof(SnowballFilter), "english_stop.txt", Encoding.UTF8), Version));

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream stream = new StandardFilter(Version, source);
        stream = new EnglishPossessiveFilter(Version, stream);
        stream = new LowerCaseFilter(Version, stream);
        stream = new StopFilter(Version, stream, options.StopWords == StopWords.Snowball ? SnowballStopWords.Value : EnglishAnalyzer.DefaultStopSet);
        stream = options.Stemming switch
        {
            Stemming.Porter => new PorterStemFilter(stream),
            Stemming.Porter2 => new SnowballFilter(stream, new Lucene.Net.Tartarus.Snowball.Ext.EnglishStemmer()),
            Stemming.KStem => new KStemFilter(stream),
            Stemming.Minimal => new EnglishMinimalStemFilter(stream),
            _ => stream,
        };
        return new TokenStreamComponents(source, stream);
    }
}
