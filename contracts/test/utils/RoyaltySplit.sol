// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @notice The split {PaymentChannels} promises, written out from its documentation for the tests: the shares of a
/// channel's cumulative paid amount `x` under the channel's opening royalty rates (root first).
library RoyaltySplit {
    uint256 internal constant BPS = 10_000;

    /// @dev Each lineage model's share of `x` and the provider's rest. Rates are clipped root first to 100 %; the
    /// royalty is `floor(x * sum / 10_000)`; root first, each model with a rate takes `floor(rest * rate / left)` of
    /// the royalty the models before it left, `left` being the sum of its own and the later rates.
    function shares(uint16[] memory rates, uint256 x) internal pure returns (uint256[] memory lineage, uint256 provider) {
        uint256 length = rates.length;
        uint256[] memory clipped = new uint256[](length);
        uint256 total = 0;
        for (uint256 i = 0; i < length; ++i) {
            uint256 rate = rates[i];
            if (total + rate > BPS) rate = BPS - total;
            clipped[i] = rate;
            total += rate;
        }
        uint256 rest = x * total / BPS;
        provider = x - rest;
        lineage = new uint256[](length);
        uint256 left = total;
        for (uint256 i = 0; i < length; ++i) {
            if (clipped[i] == 0) continue;
            lineage[i] = rest * clipped[i] / left;
            rest -= lineage[i];
            left -= clipped[i];
        }
    }
}
