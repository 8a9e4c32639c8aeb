// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {PaymentChannels} from "../../src/PaymentChannels.sol";
import {Console} from "../utils/Console.sol";
import {TestBase} from "../utils/TestBase.sol";
import {PaymentChannelsHandler} from "./PaymentChannelsHandler.sol";

contract PaymentChannelsInvariantTest is TestBase {
    PaymentChannelsHandler internal handler;
    PaymentChannels internal channels;

    function setUp() public {
        vm.warp(1_750_000_000);
        handler = new PaymentChannelsHandler();
        channels = handler.channels();
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: handler.selectors()}));
    }

    function _heldBy(address token) internal view returns (uint256) {
        return token == address(0) ? address(channels).balance : IERC20(token).balanceOf(address(channels));
    }

    /// @dev Per token: held funds == sum over open channels of (deposit - paid) + sum of unwithdrawn credits.
    function invariant_fundsConservedPerToken() public view {
        address[] memory tokens = handler.tokens();
        bytes32[] memory ids = handler.channelIds();
        address[] memory accounts = handler.creditAccounts();
        for (uint256 t = 0; t < tokens.length; ++t) {
            uint256 locked = 0;
            for (uint256 i = 0; i < ids.length; ++i) {
                PaymentChannels.Channel memory c = channels.channel(ids[i]);
                if (c.token == tokens[t] && !c.closed) locked += c.deposit - c.paid;
            }
            uint256 credited = 0;
            for (uint256 a = 0; a < accounts.length; ++a) {
                credited += channels.balanceOf(tokens[t], accounts[a]);
            }
            vm.assertEq(_heldBy(tokens[t]), locked + credited, "funds not conserved");
        }
    }

    /// @dev paid <= deposit per channel; paid + refunded <= deposited per token; credits match payments.
    function invariant_paidWithinDeposits() public view {
        bytes32[] memory ids = handler.channelIds();
        address[] memory tokens = handler.tokens();
        address[] memory accounts = handler.creditAccounts();
        for (uint256 i = 0; i < ids.length; ++i) {
            PaymentChannels.Channel memory c = channels.channel(ids[i]);
            vm.assertLe(c.paid, c.deposit, "paid above deposit");
        }
        for (uint256 t = 0; t < tokens.length; ++t) {
            address token = tokens[t];
            uint256 paidOnChain = 0;
            uint256 depositedOnChain = 0;
            for (uint256 i = 0; i < ids.length; ++i) {
                PaymentChannels.Channel memory c = channels.channel(ids[i]);
                if (c.token != token) continue;
                paidOnChain += c.paid;
                depositedOnChain += c.deposit;
            }
            vm.assertEq(paidOnChain, handler.ghostPaid(token), "paid differs from ghost");
            vm.assertEq(depositedOnChain, handler.ghostDeposited(token), "deposits differ from ghost");
            vm.assertLe(
                handler.ghostPaid(token) + handler.ghostRefunded(token), handler.ghostDeposited(token), "paid out more than in"
            );
            uint256 credited = 0;
            for (uint256 a = 0; a < accounts.length; ++a) {
                credited += channels.balanceOf(token, accounts[a]);
            }
            vm.assertEq(credited + handler.ghostWithdrawn(token), handler.ghostPaid(token), "credits differ from payments");
        }
    }

    /// @dev A channel pays only its opening terms: every account holds (or withdrew) exactly its shares of the
    /// channels' payments under the royalty rates each channel opened with, whatever the owners changed since.
    function invariant_channelsPayOnlyTheirOpeningTerms() public view {
        address[] memory tokens = handler.tokens();
        address[] memory accounts = handler.creditAccounts();
        for (uint256 t = 0; t < tokens.length; ++t) {
            for (uint256 a = 0; a < accounts.length; ++a) {
                vm.assertEq(
                    channels.balanceOf(tokens[t], accounts[a]) + handler.ghostWithdrawnBy(tokens[t], accounts[a]),
                    handler.ghostCredited(tokens[t], accounts[a]),
                    "credit differs from the opening terms"
                );
            }
        }
    }

    /// @dev No account's credits (held and withdrawn) ever exceed what was deposited in that token.
    function invariant_noCreditAboveDeposits() public view {
        address[] memory tokens = handler.tokens();
        address[] memory accounts = handler.creditAccounts();
        for (uint256 t = 0; t < tokens.length; ++t) {
            uint256 all = 0;
            for (uint256 a = 0; a < accounts.length; ++a) {
                uint256 credited =
                    channels.balanceOf(tokens[t], accounts[a]) + handler.ghostWithdrawnBy(tokens[t], accounts[a]);
                vm.assertLe(credited, handler.ghostDeposited(tokens[t]), "an account got more than was deposited");
                all += credited;
            }
            vm.assertLe(all, handler.ghostDeposited(tokens[t]), "credits above deposits");
        }
    }

    function afterInvariant() public view {
        Console.log("channels opened", handler.calls("openChannel"));
        Console.log("settlements", handler.calls("settle"));
        Console.log("closes", handler.calls("closeExpired"));
        Console.log("withdrawals", handler.calls("withdraw"));
    }
}
