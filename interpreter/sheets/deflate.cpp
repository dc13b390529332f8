#include "sheets/deflate.hpp"

#include <zlib.h>

#include <algorithm>
#include <system_error>
#include <thread>

namespace pol::interp {

namespace {

// One chunk: a raw DEFLATE piece that continues the stream after `dict` (empty for the first).
bool compress_piece(int level, std::string_view in, std::string_view dict, bool last, std::string& out,
                    std::uint32_t& crc) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  bool ok = dict.empty() ||
            deflateSetDictionary(&z, reinterpret_cast<const Bytef*>(dict.data()), static_cast<uInt>(dict.size())) == Z_OK;
  out.resize(deflateBound(&z, static_cast<uLong>(in.size())) + 16);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::size_t done = 0;
  while (ok) {
    z.next_out = reinterpret_cast<Bytef*>(out.data() + done);
    z.avail_out = static_cast<uInt>(out.size() - done);
    const int rc = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
    done = out.size() - z.avail_out;
    if (rc == Z_STREAM_END || (!last && rc == Z_OK && z.avail_out > 0)) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) ok = false;
    else out.resize(out.size() * 2);
  }
  deflateEnd(&z);
  out.resize(done);
  crc = static_cast<std::uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(in.data()), in.size()));
  return ok;
}

}  // namespace

ChunkedDeflate::ChunkedDeflate(int level, Sink sink)
    : level_(level), sink_(std::move(sink)), threads_(std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4)) {
  chunk_.reserve(kChunk);
}

ChunkedDeflate::~ChunkedDeflate() {
  for (auto& f : running_) f.wait();
}

void ChunkedDeflate::start(bool last) {
  auto job = [level = level_, in = std::move(chunk_), dict = window_, last] {
    Piece p;
    p.in = in.size();
    p.ok = compress_piece(level, in, dict, last, p.out, p.crc);
    return p;
  };
  try {
    running_.push_back(std::async(std::launch::async, job));
  } catch (const std::system_error&) {  // no thread to be had: compressed when its turn comes
    running_.push_back(std::async(std::launch::deferred, std::move(job)));
  }
  chunk_.clear();
  chunk_.reserve(kChunk);
}

// Writes the finished pieces in order until at most `keep` are running.
bool ChunkedDeflate::drain(std::size_t keep) {
  while (running_.size() > keep) {
    Piece p = running_.front().get();
    running_.pop_front();
    if (!ok_) continue;
    ok_ = p.ok && sink_(p.out);
    crc_ = static_cast<std::uint32_t>(crc32_combine(crc_, p.crc, static_cast<z_off_t>(p.in)));
  }
  return ok_;
}

bool ChunkedDeflate::write(std::string_view bytes) {
  size_ += bytes.size();
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), kChunk - chunk_.size());
    chunk_.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
    if (chunk_.size() == kChunk) {
      // The dictionary of the next chunk: the last 32 KiB of this one.
      std::string next_window = chunk_.substr(kChunk - kWindow);
      start(false);
      window_ = std::move(next_window);
      if (!drain(threads_)) return false;
    }
  }
  return ok_;
}

bool ChunkedDeflate::flush() {
  if (!chunk_.empty()) {
    std::string next_window = chunk_.size() >= kWindow ? chunk_.substr(chunk_.size() - kWindow) : window_ + chunk_;
    if (next_window.size() > kWindow) next_window.erase(0, next_window.size() - kWindow);
    start(false);
    window_ = std::move(next_window);
  }
  return drain(0);
}

bool ChunkedDeflate::splice(std::string_view bytes) {
  ok_ = ok_ && sink_(bytes);
  return ok_;
}

void ChunkedDeflate::spliced(std::uint64_t size, std::uint32_t crc) {
  crc_ = static_cast<std::uint32_t>(crc32_combine(crc_, crc, static_cast<z_off_t>(size)));
  size_ += size;
  window_.clear();  // the spliced pieces were compressed without this stream's history
}

bool ChunkedDeflate::finish() {
  start(true);
  return drain(0);
}

}  // namespace pol::interp
