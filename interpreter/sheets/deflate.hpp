#pragma once
// One raw DEFLATE stream compressed on several cores, as pigz does it: the input is cut into
// chunks of 1 MiB, each compressed by ISA-L's igzip on its own thread with the 32 KiB before it
// as its dictionary and ended on a byte boundary (a sync flush; the last one ends the stream), so
// that the pieces, written in order, are one valid stream. The CRC-32 of the whole input comes
// with it (ISA-L's CRC of each chunk, zlib's crc32_combine). A workbook's sheet is its one
// large part: compressing it with zlib on one core was half the time of writing a results
// workbook.
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <string>
#include <string_view>

namespace pol::interp {

class ChunkedDeflate {
public:
  // `sink` gets the compressed bytes in order; false stops (finish() then returns false).
  using Sink = std::function<bool(std::string_view)>;
  ChunkedDeflate(int level, Sink sink);  // level: ISA-L's, 0 to 3
  ~ChunkedDeflate();
  ChunkedDeflate(const ChunkedDeflate&) = delete;
  ChunkedDeflate& operator=(const ChunkedDeflate&) = delete;

  [[nodiscard]] bool write(std::string_view bytes);
  // The same without a copy: bytes appended to pending(), then wrote() (a chunk is compressed
  // once it holds kChunk bytes or more; pieces of any size make one stream).
  [[nodiscard]] std::string& pending() { return chunk_; }
  [[nodiscard]] bool wrote(std::size_t n);
  // Compresses what is given so far and writes it, ending on a byte boundary without ending the
  // stream (a piece compressed elsewhere may follow: splice()).
  [[nodiscard]] bool flush();
  // After flush(): `bytes` of another ChunkedDeflate's flushed output, which stood for `size`
  // bytes of input with CRC-32 `crc`, are the next part of the stream (they go to the sink).
  [[nodiscard]] bool splice(std::string_view bytes);
  void spliced(std::uint64_t size, std::uint32_t crc);
  // Compresses what is left and ends the stream; false when the compressor or the sink failed.
  [[nodiscard]] bool finish();
  [[nodiscard]] std::uint64_t size() const { return size_; }  // bytes given
  [[nodiscard]] std::uint32_t crc() const { return crc_; }    // their CRC-32 (after finish)

  static constexpr std::size_t kChunk = std::size_t{1} << 20, kWindow = std::size_t{1} << 15;
  static constexpr std::size_t kSlack = std::size_t{1} << 16;  // room for what pending() gets past kChunk

private:
  struct Piece {
    std::string out;
    std::uint32_t crc = 0;
    std::size_t in = 0;
    bool ok = false;
  };
  void start(bool last);  // the chunk so far, as the next piece
  bool drain(std::size_t keep);

  int level_;
  Sink sink_;
  std::string chunk_, window_;
  std::deque<std::future<Piece>> running_;
  std::size_t threads_;
  std::uint64_t size_ = 0;
  std::uint32_t crc_ = 0;
  bool ok_ = true;
};

}  // namespace pol::interp
